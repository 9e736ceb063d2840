using System.Text;

namespace BibServer.Core.Tests.Notes;

/// <summary>
/// Generates Markdown notes full of citation syntax, deterministically from a seed, for comparison with
/// pandoc. A note is a list of independent snippets (paragraphs, headings, lists, quotes, code blocks,
/// tables) that combine prefixes, keys with internal and trailing punctuation, braced keys, locators,
/// suffixes, suppress-author and in-text forms, e-mail addresses, code, raw HTML, escapes, emphasis,
/// links, quotes, notes, cross-references and astral characters.
/// <para>
/// Kept out on purpose, because Markdig (CommonMark) and pandoc's Markdown disagree there about block
/// structure, not about citations: lists or headings that interrupt a paragraph without a blank line,
/// lines starting with "-", "+", "*", "1." or "&lt;" inside paragraphs, indented code, HTML blocks with
/// Markdown inside (pandoc parses it, CommonMark does not), YAML blocks after the first line, footnote
/// definitions (pandoc moves their content to the reference), table captions (pandoc's JSON puts them
/// before the rows), link reference definitions and link destinations with spaces. Paragraphs starting
/// with "@key." or "@key)" are example-list items to pandoc; the parser reports those, and a fixture tests it.
/// Pandoc 2.17 also lets "$...$" math and HTML tags run across blank lines, merging paragraphs; keys with
/// "$" or "&lt;" therefore only appear where pandoc surely reads them as keys (see GuardedKey).
/// </para>
/// </summary>
public sealed class NoteCorpusGenerator(ulong seed)
{
    private ulong _state = seed;

    public const string MarkerPrefix = "snippet-";

    private static readonly string[] SimpleKeys =
    [
        "smith2020", "doe99", "_under", "2020abc", "Zhang_2019a", "Ünïcödé2021", "日本語2021", "a", "vaswani2017attention",
        "ΑΒΓ2001", "le_cun98", "x1",
    ];

    // "$" and "<" are left out here and used only where the key is surely read (see GuardedKey).
    private static readonly string[] Separators = [":", ".", "#", "%", "&", "-", "+", "?", ">", "~", "/"];

    private static readonly string[] BracedKeys =
    [
        "{any.key:with/punctuation}", "{10.1000/xyz(2)}", "{a{b}c}", "{Doe,J.}", "{x;y}", "{ends.with.dot.}",
        "{https://example.org/paper?id=3}", "{under_score}",
    ];

    private static readonly string[] CrossReferences =
    [
        "fig-plot", "tbl-results", "sec-intro", "eq-energy", "thm-main", "lem-aux", "lst-code", "cor-one", "prp-x",
        "cnj-y", "def-z", "exm-1", "exr-2", "sol-3", "rem-4", "alg-5", "fig:plot", "tbl:x", "eq:1", "lst:code", "sec:intro",
    ];

    private static readonly string[] TrailingPunctuation =
    [
        "", "", "", ".", ",", ";", ":", "?", "!", ")", "'s", "--", "...", "/", "-", "+", ".)", "~", "#",
    ];

    private static readonly string[] Prefixes =
    [
        "", "", "", "see", "e.g.", "*see*", "cf.", "see also", "compare `code`", "as in $x^2$", "**notably**",
        "\"quoted\"", "[a link](http://example.org)", "see\nalso", "_see_", "see ^sup^", "see ~~old~~",
    ];

    private static readonly string[] Suffixes =
    [
        "", "", "", ", p. 33", ", pp. 33-35", ", chap. 1", ", sec. 2.3", " p. 3", ", 33", ", *passim*",
        ", emphasis added", ", `code; ]`", ", p. 3 and elsewhere", ", $x;y$", ", \"a; b\"", ", pp.\n33-35",
        ", [p. 3]", ", cf. [a link](http://example.org)", " and more", ", p. 3\\]", ", 'single'",
    ];

    private static readonly string[] Locators = ["p. 3", "pp. 33-35", "chap. 1", "33", "sec. 2, *passim*", "p. 3, emphasis added"];

    private static readonly string[] Words =
    [
        "Lorem", "ipsum", "dolor", "sit", "amet", "results", "show", "that", "transformers", "scale", "the", "model",
        "as", "argued", "by", "notes", "survey",
    ];

    /// <summary>Snippets, each a block (or a few) to be separated by blank lines and markers.</summary>
    public List<string> Snippets(int count)
    {
        var snippets = new List<string>(count);
        for (var i = 0; i < count; i++) snippets.Add(Snippet());
        return snippets;
    }

    /// <summary>Joins snippets into one note, each after a marker paragraph "snippet-N", and says where each starts.</summary>
    public static string Join(IReadOnlyList<string> snippets, out int[] starts)
    {
        var builder = new StringBuilder();
        starts = new int[snippets.Count];
        for (var i = 0; i < snippets.Count; i++)
        {
            builder.Append(MarkerPrefix).Append(i.ToString("D4")).Append("\n\n");
            starts[i] = builder.Length;
            builder.Append(snippets[i]).Append("\n\n");
        }
        return builder.ToString();
    }

    public static int? MarkerNumber(string text) =>
        text.StartsWith(MarkerPrefix, StringComparison.Ordinal) && int.TryParse(text.AsSpan(MarkerPrefix.Length), out var n) ? n : null;

    private string Snippet() => Next(12) switch
    {
        0 => Heading(),
        1 => List(),
        2 => Quote(),
        3 => Next(2) == 0 ? Fence() : HtmlComment(),
        4 => Table(),
        _ => Paragraph(),
    };

    private string Paragraph()
    {
        var lines = 1 + Next(3);
        var builder = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            if (i > 0) builder.Append('\n');
            builder.Append(Line());
        }
        return builder.ToString();
    }

    // A line starts with a word, so it never starts a list, a heading, a quote or an HTML block. Lines of
    // headings, list items and quotes stay single lines: pandoc and CommonMark continue those differently.
    private string Line(bool singleLine = false)
    {
        var builder = new StringBuilder(Pick(Words));
        var atoms = 1 + Next(3);
        for (var i = 0; i < atoms; i++)
        {
            builder.Append(Next(4) == 0 ? "" : " ");
            var atom = Atom();
            while (singleLine && atom.Contains('\n')) atom = Atom();
            builder.Append(atom);
            if (Next(2) == 0) builder.Append(' ').Append(Pick(Words));
        }
        return builder.ToString();
    }

    private string Heading() => Next(3) switch
    {
        0 => $"{new string('#', 1 + Next(4))} {Line(true)}",
        1 => $"{Line(true)}\n{new string(Next(2) == 0 ? '=' : '-', 3 + Next(5))}",
        _ => $"## {Line(true)} {{#sec-{Next(100)}}}",
    };

    private string List()
    {
        var items = 1 + Next(3);
        var ordered = Next(2) == 0;
        var builder = new StringBuilder();
        for (var i = 0; i < items; i++)
        {
            if (i > 0) builder.Append('\n');
            builder.Append(ordered ? $"{i + 1}. " : "- ").Append(Line(true));
        }
        return builder.ToString();
    }

    private string Quote() => $"> {Line(true)}\n> {Line(true)}";

    private string Fence()
    {
        var fence = Next(2) == 0 ? "```" : "~~~";
        return $"{fence}\n{Citation()} and {Atom()}\n{fence}";
    }

    private string HtmlComment() => $"<!-- {Citation()}\n{Atom()} -->";

    private string Table() =>
        $"| {Pick(Words)} | {Pick(Words)} |\n|---|---|\n| {Pick(Words)} {TableSafeAtom()} | {Pick(Words)} |\n| {Pick(Words)} | {Pick(Words)} {TableSafeAtom()} |";

    private string TableSafeAtom()
    {
        // A '|' inside a table cell splits the cell in both parsers before anything else; keep atoms free of it.
        while (true)
        {
            var atom = Atom();
            if (!atom.Contains('|') && !atom.Contains('\n')) return atom;
        }
    }

    private string Atom() => Next(20) switch
    {
        < 8 => Citation() + Pick(TrailingPunctuation),
        8 => $"name@example.org",
        9 => Pick([$"<me@example.org>", $"`@{Key()}`", $"`[@{Key()}]`", $"\\@{Key()}", $"<span title=\"@{Key()}\">x</span>",
            $"<!-- [@{Key()}] -->", $"${"@"}{Key()}$", $"[link](http://example.org/@{Key()})", $"x@{Key()}", $"a.@{Key()}"]),
        10 => Pick(["😀", "👍🏽 ", "🎉", "𝐀", "中文", "é", "—", "→"]) + Citation(),
        11 => Pick([$"*@{Key()}*", $"**{Group()}**", $"_@{Key()}_", $"*see* {Group()}", $"*x*@{Key()}", $"**x**@{Key()} {Group()}", $"*{Citation()}*"]),
        12 => Pick([$"\"@{Key()}\"", $"'{Group()}'", $"\"{Group()}\"", $"({Citation()})"]),
        13 => Pick([$"[see @{Key()}](http://example.org)", $"[@{Key()}](http://example.org)", $"![alt @{Key()}](img.png)",
            $"[@{Key()}]{{.class}}", $"[text]({Pick(["u", "v"])}) {Group()}"]),
        14 => Pick([$"^[see @{Key()}]", $"^[{Group()}]", $"[^{Next(9) + 1}]"]),
        15 => Pick([$"@{Key()}@{Key()}", $"x@{Key()}@{Key()}", $"{Group()}{Group()}", $"{Group()}@{Key()}"]),
        16 => Pick([$"-@{Key()}", $"x-@{Key()}", $"[-@{Key()}]", $"--@{Key()}", $" @{GuardedKey()}{Pick(TrailingPunctuation)}"]),
        17 => Pick([$"$x^2$", $"$$E=mc^2$$", $"~~struck~~", $"H~2~O", $"x^2^", "&amp;", "\\*literal\\*", $"[{Pick(Words)}]"]),
        _ => Citation(),
    };

    private string Citation() => Next(3) == 0 ? InText() : Group();

    private string InText() => Next(6) switch
    {
        0 => $"@{Key()} [{Pick(Locators)}]",
        1 => $"@{Key()} [{Pick(Locators)}; {Item()}]",
        2 => $"@{Key()} [{Item()}]",
        3 => $"@{Key()}[{Pick(Locators)}]",
        _ => $"@{Key()}",
    };

    private string Group()
    {
        var items = Next(4) == 0 ? 2 + Next(2) : 1;
        var builder = new StringBuilder("[");
        for (var i = 0; i < items; i++)
        {
            if (i > 0) builder.Append(Next(3) == 0 ? ";" : "; ");
            builder.Append(Item());
        }
        return builder.Append(']').ToString();
    }

    private string Item()
    {
        var prefix = Pick(Prefixes);
        var suppress = Next(5) == 0 ? "-" : "";
        var suffix = Pick(Suffixes);
        if (suffix.Contains("@")) suffix = suffix.Replace("@", "@" + Key());
        if (Next(10) == 0) suffix = $", see also @{Key()}";
        return $"{prefix}{(prefix.Length > 0 ? " " : "")}{suppress}@{Key()}{suffix}";
    }

    private string Key() => Next(10) switch
    {
        < 4 => Pick(SimpleKeys),
        < 7 => $"{Pick(SimpleKeys)}{Pick(Separators)}{Pick(SimpleKeys)}",
        7 => Pick(BracedKeys),
        _ => Pick(CrossReferences),
    };

    // A key with '$' or '<' inside, only ever in an in-text citation after a space, where it is surely read
    // as a key. Anywhere else its rest can start math or an HTML tag, and pandoc 2.17 lets both run across
    // blank lines: "$b" up to a '$' paragraphs later (and a link bracket skips such math when it looks for
    // its ']', so "a [b\n\nc] d" drops "c"), "<b d" up to a '>' paragraphs later (a quote marker, say).
    // Pandoc then reads several paragraphs as one. That is block structure, which Markdig decides.
    private string GuardedKey() => $"{Pick(SimpleKeys)}{Pick(["$", "<"])}{Pick(SimpleKeys)}";

    private T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    // SplitMix64: tiny, fast and the same on every platform and .NET version, unlike System.Random.
    private int Next(int bound)
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z % (ulong)bound);
    }
}
