using System.Collections.Immutable;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// Reads a large .bib file on disk a few megabytes at a time, so that its bytes are never held whole: a 150 MB
/// library held as bytes while its papers were built was most of a cold start's memory (docs/benchmarks.md,
/// issue 13). Two passes over the file:
/// <list type="number">
/// <item>The layout: the lines (what positions are answered with), and where the file is cut into parts of about
/// <see cref="PartSize"/>, at lines that start with <c>@</c>, after the last <c>@string</c> as
/// <see cref="BibtexSplitScan"/> cuts (the first part holds the macros every later part starts from).</item>
/// <item>The parts, a few at a time (one per core): each is read, scanned, and its papers built, and its bytes are
/// let go; what a paper reads later (an abstract, rich titles) is kept as its place in the file
/// (<see cref="StoredFile"/>), checked by a hash when read.</item>
/// </list>
/// The papers are the ones a read of the whole file gives (a test checks this on the real libraries) when every
/// part ends where the whole file's scan is between entries, which is checked, and no part has anything to
/// report: recovering from damage may look past a part's end, and a crossref needs its parent, which may be in
/// another part. Otherwise there is no read in parts (null), and the file is read whole, as a smaller one is.
/// </summary>
internal static class BibtexPartsRead
{
    /// <summary>From this size on a file on disk is read in parts; below it, a read of the whole is as small.</summary>
    public const int From = 16 << 20;

    /// <summary>About how large a part is: small enough that a part per core is little memory, large enough that a part's set-up is not.</summary>
    public const int PartSize = 3 << 20;

    /// <summary>How far past its end a part is read, for what the scanner looks at after an entry's last brace (the next line).</summary>
    private const int LookAhead = 64 << 10;

    /// <summary>How much of the file the layout pass reads at a time; a line longer than <see cref="LongestLine"/> ends the read in parts.</summary>
    private const int Piece = 1 << 20;

    private const int LongestLine = 16 << 20;

    /// <summary>Where a part starts: in bytes after any byte order mark, and in UTF-16 code units.</summary>
    private readonly record struct Cut(int Byte, int Char);

    /// <summary>The parts' cuts (the first at 0), the file's lines and length, and whether the first part holds the macros.</summary>
    private sealed record Layout(List<Cut> Cuts, LineIndex Lines, int Length, bool MacrosFirst, int PartSize);

    /// <summary>
    /// The document of the file's UTF-8 bytes after <paramref name="start"/> (past a byte order mark), read in parts
    /// of about <paramref name="partSize"/> bytes; null when it cannot be (see the class), and the caller reads it whole.
    /// The document keeps <paramref name="file"/> for its deferred fields and its text.
    /// </summary>
    public static LibraryDocument? TryRead(string path, ByteSource file, int start, int partSize = PartSize)
    {
        if (file.Length - start is <= 0 or >= int.MaxValue - LookAhead) return null;
        var body = file.Skip(start);
        if (Lay(body, partSize) is not { } layout) return null;
        var stored = new StoredFile(body);
        var cuts = layout.Cuts;
        var built = new Paper[]?[cuts.Count];

        // One worker per core, each with its window and its shared values, taking the next part as it is done.
        var workers = new Worker[Math.Clamp(Environment.ProcessorCount, 1, 8)];
        for (var w = 0; w < workers.Length; w++) workers[w] = new Worker();

        // The first part alone when it holds the macros (it ends after the last @string): the others start from them.
        IReadOnlyDictionary<string, string>? macros = null;
        var next = 0;
        if (layout.MacrosFirst)
        {
            if (Part(path, body, stored, layout, 0, null, workers[0]) is not { } part) return null;
            built[0] = part.Papers;
            macros = part.Macros;
            next = 1;
        }
        var failed = 0;
        void Work(Worker worker)
        {
            int k;
            while (Volatile.Read(ref failed) == 0 && (k = Interlocked.Increment(ref next) - 1) < cuts.Count)
            {
                if (Part(path, body, stored, layout, k, macros, worker) is { } part) built[k] = part.Papers;
                else Volatile.Write(ref failed, 1);
            }
        }
        if (workers.Length == 1) Work(workers[0]);
        else Parallel.For(0, workers.Length, w => Work(workers[w]));
        if (failed != 0) return null;

        var papers = ImmutableArray.CreateBuilder<Paper>(built.Sum(b => b!.Length));
        foreach (var part in built) papers.AddRange(part!);
        var lines = layout.Lines;
        return new LibraryDocument(path, BibtexFormat.Instance, null!, papers.MoveToImmutable(), ImmutableArray<Problem>.Empty)
        {
            Utf8File = body,
            LinesSource = new Lazy<LineIndex>(() => lines),
        };
    }

    /// <summary>
    /// What one worker reads and scans parts into, and the values it shares across them (<see cref="DecodeCache"/>):
    /// its window and its last scan's arrays are used again for the next part, so that the read leaves little garbage
    /// (the collector is held off while the server reads, and all of it would be in memory until the first diagnostics).
    /// </summary>
    private sealed class Worker
    {
        public DecodeCache Cache { get; } = new();

        private byte[] _window = [];

        /// <summary>The last part's scan, whose arrays the next part's is made in.</summary>
        public BibtexScan? Scan { get; set; }

        public byte[] Window(int length, int partSize)
        {
            // Room for a part larger than most (a cut comes at the first entry after the part's size) from the start.
            if (_window.Length < length) _window = new byte[Math.Max(length, partSize + partSize / 4 + LookAhead)];
            return _window;
        }
    }

    private sealed record PartRead(Paper[] Papers, IReadOnlyDictionary<string, string> Macros);

    /// <summary>Part <paramref name="k"/> read, scanned and built; null when it must be read as part of the whole file.</summary>
    private static PartRead? Part(string path, ByteSource body, StoredFile stored, Layout layout, int k, IReadOnlyDictionary<string, string>? macros, Worker worker)
    {
        var cut = layout.Cuts[k];
        var last = k + 1 == layout.Cuts.Count;
        var end = last ? layout.Length : layout.Cuts[k + 1].Byte;
        var windowEnd = last ? end : (int)Math.Min(layout.Length, (long)end + LookAhead);
        var length = windowEnd - cut.Byte;
        var window = worker.Window(length, layout.PartSize);
        try
        {
            body.Read(cut.Byte, window.AsSpan(0, length));
        }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException)
        {
            return null; // The file changed under the read: it is read whole.
        }
        var text = window.AsMemory(0, length);
        var scan = BibtexScanner<byte>.ScanPart(text, 0, last ? int.MaxValue : end - cut.Byte, macros, worker.Scan);
        worker.Scan = scan.Scan;
        if (scan.StoppedAt != (last ? length : end - cut.Byte) || scan.Scan.Problems.Count > 0) return null;
        var fields = scan.Scan.Fields;
        for (var f = 0; f < scan.FieldCount; f++)
        {
            if (fields[f].Field == BibField.Crossref) return null;
        }

        var source = new Utf8Source(text, cut.Byte, cut.Char, stored);
        var entries = scan.Scan.Entries;
        var papers = new List<Paper>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry.KeyLength == 0) return null; // reported as a problem in a whole read
            papers.Add(BibtexMapping.ToPaper(path, source, entry, fields.AsSpan(entry.FirstField, entry.FieldCount), worker.Cache));
        }
        return new PartRead([.. papers], scan.Macros);
    }

    /// <summary>
    /// The layout pass: the file read a piece at a time, each piece up to its last line feed, for the lines and the
    /// cuts. Null when the file cannot be cut (no @string is followed by an entry line, a line is too long).
    /// </summary>
    private static Layout? Lay(ByteSource body, int partSize)
    {
        var length = (int)body.Length;
        var lines = new LineIndex.Utf8Lines();
        var cuts = new List<Cut> { new(0, 0) };
        var macrosEnd = new Cut(0, 0);
        var macroPending = false;
        var buffer = ScratchArrays.Bytes.Rent(2 * Piece);
        try
        {
            var carried = 0; // bytes at the buffer's start carried over from the last piece (a line not yet ended)
            var pieceStart = 0; // where the buffer's first byte is in the file
            while (true)
            {
                var offset = pieceStart + carried;
                var read = Math.Min(length - offset, buffer.Length - carried);
                if (read > 0) body.Read(offset, buffer.AsSpan(carried, read));
                var filled = carried + read;
                if (filled == 0) break;
                var atEnd = offset + read >= length;
                var pieceLength = atEnd ? filled : buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                if (pieceLength == 0)
                {
                    // No line ends in the buffer: a longer one is made room for, up to a bound.
                    if (buffer.Length >= LongestLine) return null;
                    var larger = new byte[buffer.Length * 2];
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    if (buffer.Length <= 2 * Piece) ScratchArrays.Bytes.Return(buffer);
                    buffer = larger;
                    carried = filled;
                    continue;
                }
                var piece = buffer.AsSpan(0, pieceLength);
                var appended = 0;
                var i = piece.IndexOf((byte)'@');
                while (i >= 0)
                {
                    var at = pieceStart + i;
                    // Every piece starts at a line start (the file's, or right after a line feed).
                    var lineStart = i == 0 || piece[i - 1] == '\n';
                    var partEnds = at >= cuts[^1].Byte + partSize;
                    if (lineStart && at > 0 && (macroPending || partEnds))
                    {
                        lines.Append(piece[appended..i]);
                        appended = i;
                        var here = new Cut(at, lines.Chars);
                        if (macroPending)
                        {
                            macrosEnd = here;
                            macroPending = false;
                        }
                        if (partEnds) cuts.Add(here);
                    }
                    if (IsString(piece[(i + 1)..])) macroPending = true;
                    var further = piece[(i + 1)..].IndexOf((byte)'@');
                    i = further < 0 ? -1 : i + 1 + further;
                }
                lines.Append(piece[appended..]);
                carried = filled - pieceLength;
                buffer.AsSpan(pieceLength, carried).CopyTo(buffer);
                pieceStart += pieceLength;
                if (atEnd) break;
            }
        }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException)
        {
            return null;
        }
        finally
        {
            if (buffer.Length <= 2 * Piece) ScratchArrays.Bytes.Return(buffer);
        }
        if (macroPending) return null; // the whole file's scan would be on one core too: read whole
        // The first part ends after the last @string; cuts before that are dropped.
        if (macrosEnd.Byte > 0)
        {
            cuts.RemoveAll(c => c.Byte > 0 && c.Byte <= macrosEnd.Byte);
            cuts.Insert(1, macrosEnd);
        }
        return new Layout(cuts, lines.Build(), length, macrosEnd.Byte > 0, partSize);
    }

    private static bool IsString(ReadOnlySpan<byte> after)
    {
        const string Name = "string";
        if (after.Length < Name.Length) return false;
        for (var k = 0; k < Name.Length; k++)
            if ((char)(after[k] | 0x20) != Name[k]) return false;
        return true;
    }
}
