using System.Collections.Immutable;
using System.Text;
using BibServer.Core.Text;
using Markdig;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Extensions.Mathematics;
using Markdig.Parsers.Inlines;
using Markdig.Renderers;
using Markdig.Syntax.Inlines;

namespace BibServer.Core.Notes;

/// <summary>
/// Adds pandoc citations to a Markdig pipeline: <see cref="CitationInlineParser"/> runs before the link
/// parser, so that <c>[see @a, p. 3]</c> becomes a <see cref="CitationInline"/> and not a link. It also
/// takes dollar math away from Markdig's inline parsers: Markdig's rules for where <c>$...$</c> may start
/// and end are stricter than pandoc's, and the citation scanner applies pandoc's own.
/// </summary>
internal sealed class CitationExtension : IMarkdownExtension
{
    /// <summary>The parser context property holding the note's text (see <see cref="CitationInlineParser"/>).</summary>
    public const string SourceProperty = "BibServer.Notes.Source";

    /// <summary>
    /// The parser context property holding a <c>List&lt;Citation&gt;</c> that receives every citation of every
    /// block read, including those Markdig never reaches because, unlike pandoc, it reads them as part of
    /// something else (a link destination after <c>[x][ref]</c>, say).
    /// </summary>
    public const string CitationsProperty = "BibServer.Notes.Citations";

    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        pipeline.InlineParsers.TryRemove<MathInlineParser>();
        if (pipeline.InlineParsers.Contains<CitationInlineParser>()) return;
        var parser = new CitationInlineParser();
        if (!pipeline.InlineParsers.InsertBefore<LinkInlineParser>(parser)) pipeline.InlineParsers.Insert(0, parser);
        pipeline.InlineParsers.Add(new CitationScanTrigger(parser));
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
    }
}

/// <summary>
/// One pandoc citation as Markdig sees it: a bracketed group, or an in-text citation with its optional
/// locator or following group. It carries its citations, already resolved to note offsets.
/// </summary>
internal sealed class CitationInline : LeafInline
{
    public required ImmutableArray<Citation> Citations { get; init; }
}

/// <summary>
/// The Markdig inline parser for <c>@</c> and <c>[</c>. The first time it is reached in a paragraph (or
/// heading, or table) it reads that block's whole inline text with <see cref="PandocCitationScanner"/>,
/// which knows where pandoc sees citations; from then on, wherever Markdig reaches the start of one, it
/// hands the whole citation over as a <see cref="CitationInline"/>. Markdig has already consumed code
/// spans, raw HTML, autolinks and escapes when it gets here, and pandoc reads those alike, so nothing in
/// them is ever taken for a citation.
/// </summary>
internal sealed class CitationInlineParser : InlineParser
{
    public CitationInlineParser()
    {
        OpeningCharacters = ['@', '['];
    }

    private sealed class LeafScan
    {
        public required object Block { get; init; }

        public required string Text { get; init; }

        public required Dictionary<int, (int End, ImmutableArray<Citation> Citations)> ByStart { get; init; }
    }

    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        var scan = ScanOf(processor, slice);
        if (!scan.ByStart.TryGetValue(slice.Start, out var construct)) return false;
        var sourceStart = processor.GetSourcePosition(slice.Start, out var line, out var column);
        var sourceEnd = processor.GetSourcePosition(construct.End - 1, out _, out _);
        processor.Inline = new CitationInline
        {
            Citations = construct.Citations,
            Span = new Markdig.Syntax.SourceSpan(sourceStart, sourceEnd),
            Line = line,
            Column = column,
        };
        slice.Start = construct.End;
        return true;
    }

    /// <summary>Reads the current block's inline text once, when Markdig first reaches it.</summary>
    internal void EnsureScanned(InlineProcessor processor, StringSlice slice) => ScanOf(processor, slice);

    private LeafScan ScanOf(InlineProcessor processor, StringSlice slice)
    {
        if (processor.ParserStates[Index] is LeafScan previous
            && ReferenceEquals(previous.Block, processor.Block) && ReferenceEquals(previous.Text, slice.Text))
        {
            return previous;
        }

        // Markdig hands a block of several lines over as a new string of just its inline text, but a
        // one-line block as the note itself, positioned at its line. Read from the start of that line then:
        // what precedes the inline text there (list, quote or heading markers) cannot form a citation.
        var text = slice.Text;
        var isSource = processor.Context?.Properties.TryGetValue(CitationExtension.SourceProperty, out var source) == true
            ? ReferenceEquals(source, text)
            : slice.End + 1 < text.Length;
        var start = 0;
        if (isSource)
        {
            start = slice.Start;
            while (start > 0 && text[start - 1] is not ('\n' or '\r')) start--;
        }
        var end = slice.End + 1;
        LeafScan scan;
        // A block without an '@' holds no citation: most blocks are skipped after one vectorised search.
        if (text.AsSpan(start, end - start).IndexOf('@') < 0)
        {
            scan = new LeafScan { Block = processor.Block!, Text = text, ByStart = NoConstructs };
            processor.ParserStates[Index] = scan;
            return scan;
        }

        var scanner = new PandocCitationScanner(text, end);
        scanner.ScanLeaf(start);
        var resolved = Resolve(processor, text, scanner.Found);
        var sink = processor.Context?.Properties.TryGetValue(CitationExtension.CitationsProperty, out var list) == true
            ? list as List<Citation>
            : null;
        var byStart = new Dictionary<int, (int, ImmutableArray<Citation>)>(scanner.Constructs.Count);
        foreach (var construct in scanner.Constructs)
        {
            // A construct's citations were found prefix first, then key, then suffix; report them by key.
            var citations = new Citation[construct.FoundCount];
            Array.Copy(resolved, construct.FoundStart, citations, 0, construct.FoundCount);
            if (citations.Length > 1) Array.Sort(citations, (a, b) => a.KeySpan.Start.CompareTo(b.KeySpan.Start));
            var immutable = ImmutableArray.Create(citations);
            byStart[construct.Start] = (construct.End, immutable);
            sink?.AddRange(immutable);
        }
        scan = new LeafScan { Block = processor.Block!, Text = text, ByStart = byStart };
        processor.ParserStates[Index] = scan;
        return scan;
    }

    private static readonly Dictionary<int, (int, ImmutableArray<Citation>)> NoConstructs = [];

    /// <summary>Turns scanned citations (offsets in the inline text) into citations with note offsets.</summary>
    private static Citation[] Resolve(InlineProcessor processor, string text, List<ScannedCitation> found)
    {
        // Markdig maps inline-text offsets to note offsets line by line, fastest in ascending order, so
        // every offset needed is mapped once, in order, and then looked up.
        var offsets = new List<int>(found.Count * 6);
        foreach (var c in found)
        {
            AddSpanBounds(offsets, c.KeyStart, c.KeyEnd);
            AddSpanBounds(offsets, c.ItemStart, c.ItemEnd);
            if (c.GroupStart >= 0) AddSpanBounds(offsets, c.GroupStart, c.GroupEnd);
        }
        offsets.Sort();
        var mapped = new int[offsets.Count];
        for (var i = 0; i < offsets.Count; i++)
        {
            mapped[i] = i > 0 && offsets[i] == offsets[i - 1] ? mapped[i - 1] : processor.GetSourcePosition(offsets[i], out _, out _);
        }

        int MapOffset(int offset) => mapped[offsets.BinarySearch(offset)];

        TextSpan Map(int s, int e) => e > s
            ? TextSpan.FromBounds(MapOffset(s), MapOffset(e - 1) + 1)
            : new TextSpan(MapOffset(s), 0);

        var result = new Citation[found.Count];
        for (var i = 0; i < found.Count; i++)
        {
            var c = found[i];
            var key = text[c.KeyStart..c.KeyEnd];
            result[i] = new Citation(
                key,
                Map(c.KeyStart, c.KeyEnd),
                Map(c.ItemStart, c.ItemEnd),
                c.GroupStart >= 0 ? Map(c.GroupStart, c.GroupEnd) : null,
                c.Mode,
                Collapse(text, c.PrefixStart, c.PrefixEnd),
                Collapse(text, c.SuffixStart, c.SuffixEnd),
                c.IsBraced,
                CitationSyntax.IsCrossReference(key));
        }
        return result;
    }

    private static void AddSpanBounds(List<int> offsets, int start, int end)
    {
        offsets.Add(start);
        if (end > start) offsets.Add(end - 1);
    }

    /// <summary>The text between two offsets with whitespace runs (line breaks included) made one space.</summary>
    internal static string Collapse(string text, int start, int end)
    {
        if (end <= start) return "";
        var span = text.AsSpan(start, end - start).Trim();
        if (span.IndexOfAny('\n', '\r', '\t') < 0 && span.IndexOf("  ") < 0) return new string(span);
        var builder = new StringBuilder(span.Length);
        var inSpace = false;
        foreach (var c in span)
        {
            if (char.IsWhiteSpace(c))
            {
                inSpace = true;
                continue;
            }
            if (inSpace) builder.Append(' ');
            inSpace = false;
            builder.Append(c);
        }
        return builder.ToString();
    }
}

/// <summary>
/// A parser Markdig tries wherever no other one applies, which makes sure every block with text is read
/// for citations even when Markdig itself never reaches an <c>@</c> or <c>[</c> in it. It never matches.
/// </summary>
internal sealed class CitationScanTrigger(CitationInlineParser citations) : InlineParser
{
    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        citations.EnsureScanned(processor, slice);
        return false;
    }
}
