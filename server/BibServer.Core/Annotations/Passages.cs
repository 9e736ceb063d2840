using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using BibServer.Core.Notes;
using BibServer.Core.Text;

namespace BibServer.Core.Annotations;

/// <summary>What kind of passage an annotation is.</summary>
public enum PassageKind
{
    /// <summary>The sentence of a paragraph that holds the citation.</summary>
    Sentence,

    /// <summary>A whole list item: an item is one thought, however many sentences it has.</summary>
    ListItem,

    /// <summary>A whole table row: a row is one paper's line of a comparison.</summary>
    TableRow,

    /// <summary>The whole body of a literature note about the paper.</summary>
    LiteratureNote,
}

/// <summary>
/// One passage of a note about a paper: where it is (<see cref="Span"/>, its one-based <see cref="Line"/>,
/// the headings above it) and its text on one line, list and quote markers left out, as the writer wrote it.
/// </summary>
public sealed record Annotation(
    string Key,
    string NotePath,
    TextSpan Span,
    string Text,
    ImmutableArray<string> Headings,
    int Line,
    PassageKind Kind);

/// <summary>
/// The passages of one note, by the keys they cite. Made once per parsed note (kept on the immutable
/// NoteDocument's <see cref="NoteDocument.Memos"/>), so a keystroke costs only the edited note's passages, the next time they are asked for.
/// </summary>
public static class Passages
{
    /// <summary>What is found once per note and shared by its keys: where sentences may not end, and split paragraphs.</summary>
    private sealed class NotePassages(NoteDocument note)
    {
        private readonly Lazy<List<TextSpan>> _unbreakable = new(() => Unbreakable(note));
        private readonly ConcurrentDictionary<TextSpan, List<TextSpan>> _sentences = new();

        public ConcurrentDictionary<string, Annotation[]> ByKey { get; } = new(StringComparer.Ordinal);

        public List<TextSpan> SentencesOf(TextSpan block) =>
            _sentences.GetOrAdd(block, b => Sentences.Split(note.Text, b, _unbreakable.Value));
    }

    private static readonly MemoKey<NotePassages> ByNote = new("passages");

    /// <summary>
    /// The note's passages of one key, in document order, one per passage; empty when the note does not cite
    /// it. Found for the key asked about only: a hover asks about one key in many notes.
    /// </summary>
    public static Annotation[] Of(NoteDocument note, string key)
    {
        if (!Features.CitationIndex.Of(note).TryGetValue(key, out var citations)) return [];
        var passages = note.Memos.Get(ByNote, note, static n => new NotePassages(n));
        return passages.ByKey.GetOrAdd(key, static (_, arg) => Find(arg.note, arg.passages, arg.citations), (note, passages, citations));
    }

    /// <summary>The note's passages of each key it cites (cross-references left out).</summary>
    public static IReadOnlyDictionary<string, Annotation[]> Of(NoteDocument note) =>
        Features.CitationIndex.Of(note).Keys.ToDictionary(k => k, k => Of(note, k), StringComparer.Ordinal);

    private static Annotation[] Find(NoteDocument note, NotePassages shared, Citation[] citations)
    {
        var text = note.Text;
        var lines = note.Lines;
        var list = new List<Annotation>(citations.Length);
        foreach (var citation in citations)
        {
            var (block, kind) = BlockAt(text, lines, note.FrontMatter?.Span.End ?? 0, citation.Span.Start);
            var span = block;
            if (kind == PassageKind.Sentence)
                span = shared.SentencesOf(block).FirstOrDefault(s => s.ContainsOrTouches(citation.Span.Start), block);
            if (list.Count > 0 && list[^1].Span == span) continue;
            list.Add(new Annotation(citation.Key, note.Path, span, OneLine(text, span, kind), HeadingsAt(note, span.Start),
                lines.GetPosition(span.Start).Line + 1, kind));
        }
        return [.. list];
    }

    /// <summary>Where no sentence may end: citations (their brackets too) and code spans, in order.</summary>
    private static List<TextSpan> Unbreakable(NoteDocument note)
    {
        var spans = new List<TextSpan>();
        foreach (var c in note.Citations)
        {
            var s = c.GroupSpan is { } g ? TextSpan.FromBounds(Math.Min(g.Start, c.Span.Start), Math.Max(g.End, c.Span.End)) : c.Span;
            if (spans.Count > 0 && spans[^1].End >= s.Start)
                spans[^1] = TextSpan.FromBounds(spans[^1].Start, Math.Max(spans[^1].End, s.End));
            else spans.Add(s);
        }
        var text = note.Text;
        for (var i = text.IndexOf('`'); i >= 0 && i < text.Length; i = text.IndexOf('`', i))
        {
            var run = 1;
            while (i + run < text.Length && text[i + run] == '`') run++;
            var close = text.IndexOf(new string('`', run), i + run, StringComparison.Ordinal);
            if (close < 0) break;
            spans.Add(TextSpan.FromBounds(i, close + run));
            i = close + run;
        }
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        return spans;
    }

    /// <summary>
    /// The block around an offset: the table row or list item it is in, or else its paragraph (to be split
    /// into sentences). Blocks are found from the lines around the offset: a blank line, a heading, a code fence
    /// or a thematic break bounds them; a list item runs from its marker to the next marker or boundary.
    /// </summary>
    internal static (TextSpan Block, PassageKind Kind) BlockAt(string text, LineIndex lines, int floor, int offset)
    {
        var line = lines.GetPosition(offset).Line;
        var first = line;
        while (first > 0 && lines.LineStart(first - 1) >= floor && !IsBoundary(LineText(text, lines, first - 1)) && !IsListItem(LineText(text, lines, first))) first--;
        var last = line;
        while (last + 1 < lines.LineCount && !IsBoundary(LineText(text, lines, last + 1)) && !IsListItem(LineText(text, lines, last + 1))) last++;

        if (IsTableRow(LineText(text, lines, line)) && HasDelimiterRow(text, lines, line))
            return (Trimmed(text, LineSpan(text, lines, line)), PassageKind.TableRow);
        var block = Trimmed(text, TextSpan.FromBounds(lines.LineStart(first), LineSpan(text, lines, last).End));
        return IsListItem(LineText(text, lines, first)) ? (block, PassageKind.ListItem) : (block, PassageKind.Sentence);
    }

    private static TextSpan LineSpan(string text, LineIndex lines, int line)
    {
        var start = lines.LineStart(line);
        var end = line + 1 < lines.LineCount ? lines.LineStart(line + 1) : text.Length;
        while (end > start && text[end - 1] is '\n' or '\r') end--;
        return TextSpan.FromBounds(start, end);
    }

    private static ReadOnlySpan<char> LineText(string text, LineIndex lines, int line)
    {
        var span = LineSpan(text, lines, line);
        return text.AsSpan(span.Start, span.Length);
    }

    /// <summary>A line's content: without its indentation and block-quote markers.</summary>
    private static ReadOnlySpan<char> Content(ReadOnlySpan<char> line)
    {
        line = line.TrimStart();
        while (line.StartsWith(">")) line = line[1..].TrimStart();
        return line;
    }

    private static bool IsBoundary(ReadOnlySpan<char> line)
    {
        var c = Content(line);
        if (c.IsWhiteSpace() || c.StartsWith("#") || c.StartsWith("```") || c.StartsWith("~~~") || c.StartsWith(":::")) return true;
        // A thematic break or a setext underline: a line of one of - * _ = and spaces only.
        var t = c.Trim();
        return t.Length >= 3 && t.IndexOfAnyExcept([t[0], ' ']) < 0 && t[0] is '-' or '*' or '_' or '=';
    }

    /// <summary>A list marker: <c>-</c>, <c>*</c>, <c>+</c>, <c>1.</c> or <c>1)</c> then a space.</summary>
    internal static int ListMarkerLength(ReadOnlySpan<char> content)
    {
        if (content.Length >= 2 && content[0] is '-' or '*' or '+' && content[1] is ' ' or '\t') return 2;
        var d = 0;
        while (d < content.Length && d < 9 && char.IsAsciiDigit(content[d])) d++;
        if (d > 0 && d + 1 < content.Length && content[d] is '.' or ')' && content[d + 1] is ' ' or '\t') return d + 2;
        return 0;
    }

    private static bool IsListItem(ReadOnlySpan<char> line) => ListMarkerLength(Content(line)) > 0 && !IsBoundary(line);

    private static bool IsTableRow(ReadOnlySpan<char> line) => Content(line).Contains('|');

    /// <summary>Whether the run of table-like lines holding this one has a delimiter row (<c>|---|:--:|</c>).</summary>
    private static bool HasDelimiterRow(string text, LineIndex lines, int line)
    {
        var first = line;
        while (first > 0 && IsTableRow(LineText(text, lines, first - 1))) first--;
        for (var l = first; l < lines.LineCount && IsTableRow(LineText(text, lines, l)); l++)
        {
            var c = Content(LineText(text, lines, l)).Trim();
            if (c.Length > 0 && c.IndexOfAnyExcept("|-: \t") < 0 && c.Contains('-')) return true;
        }
        return false;
    }

    private static TextSpan Trimmed(string text, TextSpan span)
    {
        var s = span.Start;
        var e = span.End;
        while (s < e && char.IsWhiteSpace(text[s])) s++;
        while (e > s && char.IsWhiteSpace(text[e - 1])) e--;
        return TextSpan.FromBounds(s, e);
    }

    /// <summary>The headings above an offset, outermost first: "Survey › Methods".</summary>
    internal static ImmutableArray<string> HeadingsAt(NoteDocument note, int offset)
    {
        var stack = new List<Heading>();
        foreach (var h in note.Headings)
        {
            if (h.Span.Start > offset) break;
            while (stack.Count > 0 && stack[^1].Level >= h.Level) stack.RemoveAt(stack.Count - 1);
            stack.Add(h);
        }
        return [.. stack.Select(h => h.Text)];
    }

    /// <summary>
    /// A passage's text on one line: each line without its indentation and quote markers (and, for the
    /// first line of a list item, its marker; for a table row, its outer pipes), joined by single spaces.
    /// </summary>
    public static string OneLine(string text, TextSpan span, PassageKind kind, Func<int, string?>? replaceAt = null)
    {
        var sb = new StringBuilder(span.Length);
        var first = true;
        foreach (var raw in Lines(Rewritten(text, span, replaceAt)))
        {
            var c = Content(raw);
            if (first && kind == PassageKind.ListItem) c = c[ListMarkerLength(c)..];
            if (kind == PassageKind.TableRow) c = c.Trim().Trim('|');
            // A literature note read on one line: a heading introduces what follows, an item's marker goes.
            var heading = kind == PassageKind.LiteratureNote && c.StartsWith("#");
            if (heading) c = c.TrimStart('#');
            else if (kind == PassageKind.LiteratureNote) c = c[ListMarkerLength(c)..];
            c = c.Trim();
            first = false;
            if (c.IsEmpty) continue;
            if (sb.Length > 0) sb.Append(' ');
            if (heading && !c.EndsWith(":") && !c.EndsWith(".")) c = (c.ToString() + ":").AsSpan();
            foreach (var ch in c)
            {
                if (char.IsWhiteSpace(ch))
                {
                    if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
                }
                else sb.Append(ch);
            }
        }
        return sb.ToString().Trim();
    }

    /// <summary>
    /// The text of a span with insertions: <paramref name="replaceAt"/> may give, for an offset, text to put
    /// before it (the export escapes the <c>@</c> of a citation no bibliography defines).
    /// </summary>
    internal static string Rewritten(string text, TextSpan span, Func<int, string?>? insertAt)
    {
        if (insertAt is null) return text.Substring(span.Start, span.Length);
        var sb = new StringBuilder(span.Length + 8);
        for (var i = span.Start; i < span.End; i++)
        {
            if (insertAt(i) is { } insert) sb.Append(insert);
            sb.Append(text[i]);
        }
        return sb.ToString();
    }

    private static IEnumerable<string> Lines(string text) => text.Replace("\r\n", "\n").Split('\n');
}
