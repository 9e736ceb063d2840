using System.Collections.Immutable;
using BibServer.Core.Text;

namespace BibServer.Core.Notes;

/// <summary>How a citation asks to be rendered, as pandoc's <c>citationMode</c>.</summary>
public enum CitationMode
{
    /// <summary><c>[@key]</c>: "(Doe 2020)". Pandoc calls it NormalCitation.</summary>
    Parenthetical,

    /// <summary><c>[-@key]</c>: "(2020)".</summary>
    SuppressAuthor,

    /// <summary><c>@key</c>, with or without a <c>[locator]</c>: "Doe (2020)".</summary>
    AuthorInText,
}

/// <summary>
/// One citation item of a note.
/// </summary>
/// <param name="Key">The citation key as pandoc reads it (for <c>@{a.b}</c>, <c>a.b</c>).</param>
/// <param name="KeySpan">The key's characters only, without the <c>@</c> and the braces.</param>
/// <param name="Span">
/// The whole item: prefix, <c>-@key</c> and suffix inside a group; <c>@key</c> for an in-text citation,
/// running to the <c>]</c> of its locator when it has one (or to the end of the locator when further
/// citations follow it in the same brackets, as in <c>@a [p. 3; @b]</c>).
/// </param>
/// <param name="GroupSpan">
/// The <c>[...]</c> the item belongs to: its group, or for an in-text citation its locator's brackets;
/// null for a bare <c>@key</c>.
/// </param>
/// <param name="Mode">Parenthetical, suppress-author or author-in-text.</param>
/// <param name="Prefix">The text before the key inside a group, as written with whitespace runs collapsed to one space.</param>
/// <param name="Suffix">
/// The text after the key (the locator and any suffix), as written with whitespace runs collapsed; for
/// <c>[@a, pp. 33-35]</c> it is <c>, pp. 33-35</c>, for <c>@a [p. 3]</c> it is <c>p. 3</c>.
/// </param>
/// <param name="IsBraced">Whether the key was written <c>@{...}</c>.</param>
/// <param name="IsCrossReference">
/// A Quarto (<c>@fig-x</c>, <c>@sec-x</c>, ...) or pandoc-crossref (<c>@fig:x</c>, ...) reference: pandoc
/// parses it as a citation, but it names no paper, so it must not be reported as an unknown key.
/// </param>
public sealed record Citation(
    string Key,
    TextSpan KeySpan,
    TextSpan Span,
    TextSpan? GroupSpan,
    CitationMode Mode,
    string Prefix,
    string Suffix,
    bool IsBraced,
    bool IsCrossReference);

/// <summary>One file named by <c>bibliography:</c> in the front matter, not resolved (the core does no IO).</summary>
/// <param name="Value">The file name as the YAML value says it (quotes removed).</param>
/// <param name="Span">The value's characters in the note.</param>
public sealed record BibliographyEntry(string Value, TextSpan Span);

/// <summary>The YAML front matter at the top of a note.</summary>
/// <param name="Span">The whole block, including its <c>---</c> lines.</param>
/// <param name="Yaml">The YAML text between the delimiter lines.</param>
/// <param name="YamlOffset">Where <paramref name="Yaml"/> starts in the note, to map YAML positions back.</param>
/// <param name="Bibliography">The <c>bibliography:</c> files, one value or a list.</param>
/// <param name="HasReferences">Whether there is a top-level <c>references:</c> key (read elsewhere).</param>
/// <param name="Csl">The <c>csl:</c> style file, as written (not resolved: the core does no IO).</param>
/// <param name="Lang">The <c>lang:</c> language tag, which picks the citation locale.</param>
public sealed record FrontMatter(
    TextSpan Span,
    string Yaml,
    int YamlOffset,
    ImmutableArray<BibliographyEntry> Bibliography,
    bool HasReferences,
    BibliographyEntry? Csl = null,
    BibliographyEntry? Lang = null);

/// <summary>A heading of the note (ATX or setext), with its text as plain text.</summary>
public sealed record Heading(int Level, string Text, TextSpan Span);

/// <summary>
/// A Markdown note, parsed: its citations in document order, front matter, headings and the problems
/// found, with spans into <see cref="Text"/>. Parsing never throws. A note edited below its front matter may
/// be parsed when first asked for (<see cref="NoteParser.Reparse"/>): its text and front matter are known at
/// once, so that what needs only those (completion, the papers the note sees) does not wait for the parse.
/// </summary>
public sealed class NoteDocument
{
    private readonly Lazy<Parts> _parts;
    private readonly FrontMatter? _frontMatter;
    private LineIndex? _lines;

    /// <summary>What parsing found.</summary>
    internal sealed record Parts(ImmutableArray<Citation> Citations, FrontMatter? FrontMatter, ImmutableArray<Heading> Headings, ImmutableArray<Problem> Problems);

    public NoteDocument(
        string path,
        string text,
        ImmutableArray<Citation> citations,
        FrontMatter? frontMatter,
        ImmutableArray<Heading> headings,
        ImmutableArray<Problem> problems)
    {
        Path = path;
        Text = text;
        _frontMatter = frontMatter;
        _parts = new Lazy<Parts>(new Parts(citations, frontMatter, headings, problems));
        FrontMatterMemos = new Memos();
    }

    /// <summary>A note parsed when first asked for, whose front matter is known without parsing.</summary>
    /// <param name="frontMatterMemos">The memos of the note whose front matter this one shares, reused with it.</param>
    internal NoteDocument(string path, string text, FrontMatter? frontMatter, Func<Parts> parse, Memos frontMatterMemos)
    {
        Path = path;
        Text = text;
        _frontMatter = frontMatter;
        _parts = new Lazy<Parts>(parse, LazyThreadSafetyMode.ExecutionAndPublication);
        FrontMatterMemos = frontMatterMemos;
    }

    public string Path { get; }

    public string Text { get; }

    public ImmutableArray<Citation> Citations => _parts.Value.Citations;

    public FrontMatter? FrontMatter => _frontMatter;

    public ImmutableArray<Heading> Headings => _parts.Value.Headings;

    public ImmutableArray<Problem> Problems => _parts.Value.Problems;

    /// <summary>Whether the parse has run (it runs once, on the first thread to ask; others wait for it).</summary>
    public bool IsParsed => _parts.IsValueCreated;

    /// <summary>Parses now if not yet done: for a host that parses in the background after an edit.</summary>
    public void EnsureParsed() => _ = _parts.Value;

    public LineIndex Lines => _lines ??= new LineIndex(Text);

    /// <summary>What features compute from this version of the note (its citations grouped by key), kept with it.</summary>
    public Memos Memos { get; } = new();

    /// <summary>
    /// What is computed from the note's front matter alone (its <c>references:</c> read and merged). A keystroke
    /// below the front matter makes a new note that shares its front matter (<see cref="NoteParser.Reparse"/>),
    /// and these memos with it, so the YAML is not read again on every keystroke.
    /// </summary>
    public Memos FrontMatterMemos { get; }
}
