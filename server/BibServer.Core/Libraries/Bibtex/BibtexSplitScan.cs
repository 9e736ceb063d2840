using System.Numerics;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// The scan of a large .bib file on several cores: the file is cut at lines that start with <c>@</c> into parts
/// that are scanned at the same time, and the parts' entries, fields and problems are put end to end. The result
/// is the scan of the whole file (<see cref="BibtexScanner{T}.Scan"/>), which a test checks on the real corpora; two
/// things make that more than a split:
/// <list type="bullet">
/// <item>A <c>@string</c> macro defined in one part may be used in any later one. Every part after the first
/// therefore begins after the last <c>@string</c> of the file: that first part is scanned alone, before the others,
/// and they start from the macros it defined (in libraries that define macros, they come first).</item>
/// <item>A cut may fall where the whole file's scan is not between entries (inside a <c>@comment{...}</c>, or a
/// damaged entry whose recovery reaches past the cut). Each part is scanned on the whole text (its look-ahead and
/// recovery see what a whole scan sees) and stops at the first <c>@</c> at or after its end, noting where: the
/// split holds only if that is the next part's start, else the file is scanned whole, on one core.</item>
/// </list>
/// </summary>
internal static class BibtexSplitScan
{
    /// <summary>Below this many characters (4 MB of text, some 3,000 entries) one core scans the file in a few tens of milliseconds.</summary>
    public const int Threshold = 4 << 20;

    /// <summary>The scan of a file's text (<c>char</c>) or UTF-8 bytes (<c>byte</c>), in parts from <see cref="Threshold"/> on.</summary>
    public static BibtexScan Scan<T>(ReadOnlyMemory<T> text) where T : unmanaged, IBinaryInteger<T> =>
        text.Length >= Threshold && Math.Min(Environment.ProcessorCount, 8) is var workers and > 1 ? Scan(text, workers, out _) : BibtexScanner<T>.Scan(text);

    /// <summary>
    /// The scan in <paramref name="parts"/> parts (after the macros' part), whatever the file's size: what the tests
    /// call. <paramref name="split"/> says whether the parts held, or the file was scanned whole.
    /// </summary>
    internal static BibtexScan Scan<T>(ReadOnlyMemory<T> text, int parts, out bool split) where T : unmanaged, IBinaryInteger<T>
    {
        split = false;
        // The first part ends at the first line start with '@' after the last "@string" of the file (the text,
        // not only real definitions: a mention in an abstract only makes the first part longer).
        var macrosEnd = LastStringBlock(text) is var last and >= 0 ? NextCut(text, last + 1) : 0;
        if (macrosEnd < 0) return BibtexScanner<T>.Scan(text);
        var cuts = new List<int> { 0 };
        if (macrosEnd > 0) cuts.Add(macrosEnd);
        var rest = text.Length - macrosEnd;
        for (var i = 1; i < parts; i++)
        {
            var cut = NextCut(text, macrosEnd + (int)((long)rest * i / parts));
            if (cut > cuts[^1] && cut < text.Length) cuts.Add(cut);
        }
        if (cuts.Count < 2) return BibtexScanner<T>.Scan(text);

        var scanned = new BibtexScanPart[cuts.Count];
        IReadOnlyDictionary<string, string>? macros = null;
        var from = 0;
        if (macrosEnd > 0)
        {
            // The macros' part first, alone: the other parts start from the macros it defined.
            scanned[0] = BibtexScanner<T>.ScanPart(text, 0, cuts[1], null);
            if (scanned[0].StoppedAt != cuts[1]) return BibtexScanner<T>.Scan(text);
            macros = scanned[0].Macros;
            from = 1;
        }
        Parallel.For(from, cuts.Count, i =>
            scanned[i] = BibtexScanner<T>.ScanPart(text, cuts[i], i + 1 < cuts.Count ? cuts[i + 1] : int.MaxValue, macros));
        for (var i = 0; i + 1 < cuts.Count; i++)
            if (scanned[i].StoppedAt != cuts[i + 1]) return BibtexScanner<T>.Scan(text);
        split = true;
        return Join(scanned);
    }

    /// <summary>The parts end to end: each part's fields after the last one's, its entries pointing at them.</summary>
    private static BibtexScan Join(BibtexScanPart[] parts)
    {
        var fields = new RawField[Math.Max(1, parts.Sum(p => p.FieldCount))];
        var entries = new List<RawEntry>(parts.Sum(p => p.Scan.Entries.Count));
        var problems = new List<Text.Problem>(parts.Sum(p => p.Scan.Problems.Count));
        var offset = 0;
        foreach (var part in parts)
        {
            Array.Copy(part.Scan.Fields, 0, fields, offset, part.FieldCount);
            foreach (var entry in part.Scan.Entries) entries.Add(entry with { FirstField = entry.FirstField + offset });
            problems.AddRange(part.Scan.Problems);
            offset += part.FieldCount;
        }
        return new BibtexScan(entries, fields, problems);
    }

    /// <summary>Where the last "@string" (any case) of the text starts, or -1.</summary>
    private static int LastStringBlock<T>(ReadOnlyMemory<T> text) where T : unmanaged, IBinaryInteger<T>
    {
        var span = text.Span;
        var at = T.CreateTruncating('@');
        var last = -1;
        for (var from = 0; from < span.Length && span[from..].IndexOf(at) is var found and >= 0; from += found + 1)
        {
            var i = from + found;
            if (i + 7 <= span.Length && IsString(span.Slice(i + 1, 6))) last = i;
        }
        return last;
    }

    private static bool IsString<T>(ReadOnlySpan<T> word) where T : unmanaged, IBinaryInteger<T>
    {
        const string Name = "string";
        for (var k = 0; k < Name.Length; k++)
            if ((char)(ushort.CreateTruncating(word[k]) | 0x20) != Name[k]) return false;
        return true;
    }

    /// <summary>The first '@' at the start of a line at or after <paramref name="from"/>, or -1.</summary>
    private static int NextCut<T>(ReadOnlyMemory<T> text, int from) where T : unmanaged, IBinaryInteger<T>
    {
        var span = text.Span;
        var at = T.CreateTruncating('@');
        var newline = T.CreateTruncating('\n');
        if (from > 0 && from < span.Length && span[from] == at && span[from - 1] == newline) return from;
        var found = span[from..].IndexOf([newline, at]);
        return found < 0 ? -1 : from + found + 1;
    }
}
