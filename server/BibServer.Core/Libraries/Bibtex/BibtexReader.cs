using System.Collections.Immutable;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// Reads BibTeX and BibLaTeX libraries. One pass finds the entries and the fields BibServer uses; then
/// each entry becomes a <see cref="Paper"/> with its LaTeX decoded. Damage is reported as problems and
/// the entries around it are still read.
/// </summary>
public static class BibtexReader
{
    private const int ParallelThreshold = 4096;
    private const int Chunk = 512;

    /// <summary>Reads a .bib file's text (an editor's buffer). Never throws: what cannot be read is a problem, and the rest is kept.</summary>
    public static LibraryDocument Read(string path, string text)
    {
        text ??= "";
        try
        {
            var source = new StringSource(text);
            var (papers, problems) = ReadUnchecked(path, source, BibtexSplitScan.Scan(text.AsMemory()));
            return new LibraryDocument(path, BibtexFormat.Instance, text, papers, problems);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Failed(path, e) with { Text = text };
        }
    }

    /// <summary>
    /// Reads a .bib file's bytes (UTF-8, with or without a byte order mark) as <see cref="Read"/> reads its text,
    /// to the same papers and problems (spans in UTF-16, as ever), without making a string of the whole file: the
    /// document keeps the bytes, and its text is decoded from them only when asked for (rename asks).
    /// </summary>
    public static LibraryDocument ReadUtf8(string path, ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        // A UTF-16 or UTF-32 byte order mark: rare for libraries, so such a file is decoded and read as text.
        else if (WideEncoding(span) is { } wide) return Read(path, wide.GetString(span[wide.Preamble.Length..]));
        try
        {
            var source = new Utf8Source(bytes);
            var (papers, problems) = ReadUnchecked(path, source, BibtexSplitScan.Scan(bytes));
            return new LibraryDocument(path, BibtexFormat.Instance, null!, papers, problems) { Utf8 = bytes };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Failed(path, e) with { Text = null!, Utf8 = bytes };
        }
    }

    /// <summary>
    /// Reads a .bib file on disk through its bytes by place: from <see cref="BibtexPartsRead.From"/> on, a few
    /// megabytes at a time, keeping the file (not its bytes) for the papers' deferred fields; a smaller file, or one
    /// that cannot be read in parts, is read whole (<see cref="ReadUtf8"/>), and the file let go.
    /// </summary>
    public static LibraryDocument ReadFile(string path, ByteSource file) => ReadFile(path, file, BibtexPartsRead.From, BibtexPartsRead.PartSize);

    /// <summary><see cref="ReadFile(string, ByteSource)"/> with the sizes the tests choose (parts of a small library).</summary>
    internal static LibraryDocument ReadFile(string path, ByteSource file, long partsFrom, int partSize)
    {
        var kept = false;
        try
        {
            if (file.Length >= partsFrom)
            {
                Span<byte> head = stackalloc byte[4];
                file.Read(0, head);
                var start = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
                if (WideEncoding(head) is null && BibtexPartsRead.TryRead(path, file, start, partSize) is { } document)
                {
                    kept = true;
                    return document;
                }
            }
            return ReadUtf8(path, file.ToArray());
        }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException)
        {
            return Failed(path, e);
        }
        finally
        {
            if (!kept) file.Dispose();
        }
    }

    /// <summary>The encoding a UTF-16 or UTF-32 byte order mark names, as File.ReadAllText detects them; null for none.</summary>
    private static System.Text.Encoding? WideEncoding(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xFE, 0, 0, ..] => new System.Text.UTF32Encoding(bigEndian: false, byteOrderMark: true),
        [0xFF, 0xFE, ..] => System.Text.Encoding.Unicode,
        [0xFE, 0xFF, ..] => System.Text.Encoding.BigEndianUnicode,
        [0, 0, 0xFE, 0xFF, ..] => new System.Text.UTF32Encoding(bigEndian: true, byteOrderMark: true),
        _ => null,
    };

    private static LibraryDocument Failed(string path, Exception e)
    {
        // A bug in the reader must not take the server down with it; the file is reported instead.
        var problem = new Problem(Severity.Error, $"BibServer could not read this file ({e.GetType().Name}: {e.Message}). Please report this.",
            new TextSpan(0, 0), "bibtex-internal-error");
        return new LibraryDocument(path, BibtexFormat.Instance, "", ImmutableArray<Paper>.Empty, [problem]);
    }

    private static (ImmutableArray<Paper> Papers, ImmutableArray<Problem> Problems) ReadUnchecked(string path, BibtexSource text, BibtexScan scan)
    {
        var entries = scan.Entries;
        var crossrefs = BibtexCrossref.Resolve(text, scan);

        var built = new Paper?[entries.Count];
        // Decoding is most of the work and each entry is independent, so large libraries use every
        // core. Each worker claims chunks of entries and keeps its own cache of shared values.
        var workers = entries.Count >= ParallelThreshold ? Math.Min(Environment.ProcessorCount, 8) : 1;
        var next = 0;
        void Work()
        {
            var cache = new DecodeCache();
            int start;
            while ((start = Interlocked.Add(ref next, Chunk) - Chunk) < built.Length)
            {
                var end = Math.Min(start + Chunk, built.Length);
                for (var i = start; i < end; i++) built[i] = Build(path, text, scan, crossrefs, i, cache);
            }
        }
        if (workers == 1) Work();
        else Parallel.For(0, workers, _ => Work());

        var papers = ImmutableArray.CreateBuilder<Paper>(built.Length);
        foreach (var paper in built)
        {
            if (paper is not null) papers.Add(paper);
        }
        var problems = scan.Problems;
        problems.AddRange(crossrefs.Problems);
        // The scan's offsets are the source's (bytes, for a file); spans are UTF-16, as LSP counts.
        var sorted = problems.OrderBy(p => p.Span.Start).Select(p => p with { Span = text.Utf16(p.Span) }).ToImmutableArray();
        return (papers.DrainToImmutable(), sorted);
    }

    private static Paper? Build(string path, BibtexSource text, BibtexScan scan, BibtexCrossref crossrefs, int index, DecodeCache cache)
    {
        var entry = scan.Entries[index];
        // An entry without a key cannot be cited; the scanner has reported it.
        if (entry.KeyLength == 0) return null;
        var fields = crossrefs.FieldsOf(index, scan);
        return BibtexMapping.ToPaper(path, text, entry, fields, cache);
    }
}
