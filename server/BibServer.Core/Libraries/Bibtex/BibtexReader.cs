using System.Collections.Immutable;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// Reads BibTeX and BibLaTeX libraries. One pass finds the entries and the fields BibServer uses (in parts on
/// several cores for a large file); then
/// each entry becomes a <see cref="Paper"/> with its LaTeX decoded. Damage is reported as problems and
/// the entries around it are still read.
/// </summary>
public static class BibtexReader
{
    private const int ParallelThreshold = 4096;
    private const int Chunk = 512;

    /// <summary>Reads a .bib file's text. Never throws: what cannot be read is a problem, and the rest is kept.</summary>
    public static LibraryDocument Read(string path, string text)
    {
        text ??= "";
        try
        {
            return ReadUnchecked(path, text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in the reader must not take the server down with it; the file is reported instead.
            var problem = new Problem(Severity.Error, $"BibServer could not read this file ({e.GetType().Name}: {e.Message}). Please report this.",
                new TextSpan(0, 0), "bibtex-internal-error");
            return new LibraryDocument(path, BibtexFormat.Instance, text, ImmutableArray<Paper>.Empty, [problem]);
        }
    }

    private static LibraryDocument ReadUnchecked(string path, string text)
    {
        // A large file is scanned in parts on every core (the same scan as one pass: BibtexSplitScan).
        var scan = BibtexSplitScan.Scan(text);
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
        var sorted = problems.OrderBy(p => p.Span.Start).ToImmutableArray();
        return new LibraryDocument(path, BibtexFormat.Instance, text, papers.DrainToImmutable(), sorted);
    }

    private static Paper? Build(string path, string text, BibtexScan scan, BibtexCrossref crossrefs, int index, DecodeCache cache)
    {
        var entry = scan.Entries[index];
        // An entry without a key cannot be cited; the scanner has reported it.
        if (entry.KeyLength == 0) return null;
        var fields = crossrefs.FieldsOf(index, scan);
        return BibtexMapping.ToPaper(path, text, entry, fields, cache);
    }
}
