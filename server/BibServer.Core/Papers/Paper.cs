using System.Collections.Immutable;
using BibServer.Core.Text;

namespace BibServer.Core.Papers;

/// <summary>
/// A person or an organisation. A CSL-style name: family and given parts, or a literal for
/// organisations and names that must not be split (BibTeX's <c>{Braced Corporate Names}</c>).
/// </summary>
/// <remarks>
/// A value, not an object: a paper's authors are an array of these, 32 bytes each, where an array of references
/// to objects took 56 (11 MB at 100,000 papers with 4.5 authors each, docs/benchmarks.md).
/// </remarks>
public readonly record struct Person(string? Family, string? Given = null, string? Literal = null)
{
    public static Person Organisation(string name) => new(null, null, name);

    /// <summary>
    /// The leading words of <see cref="Family"/> that the source marks as a particle a citation drops when it
    /// inverts and sorts the name (BibTeX's von part, "van" in "van Gogh, Vincent", which pandoc's BibTeX reader
    /// hands its citeproc as a dropping particle: "Gogh, V. van" in APA); null when the source does not say.
    /// </summary>
    public string? DroppingParticle { get; init; }

    public bool IsLiteral => Literal is not null;

    /// <summary>"Given Family", or the literal.</summary>
    public string Display => Literal ?? string.Join(' ', new[] { Given, Family }.Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>The name a citation would sort and key by: family, or the literal.</summary>
    public string SortName => Family ?? Literal ?? Given ?? "";
}

/// <summary>A date as precise as the source gives it. <see cref="Raw"/> keeps the text it came from.</summary>
public sealed record PaperDate(int? Year, int? Month = null, int? Day = null, string? Raw = null)
{
    public override string ToString() =>
        Year is null ? Raw ?? "" :
        Month is null ? $"{Year:D4}" :
        Day is null ? $"{Year:D4}-{Month:D2}" : $"{Year:D4}-{Month:D2}-{Day:D2}";
}

public enum KeyOrigin
{
    /// <summary>The source names the key (BibTeX, CSL <c>id</c>): it can be renamed in its file.</summary>
    Source,

    /// <summary>The key is made by BibServer (scraped paper lists have none): no text to rename.</summary>
    Generated,
}

/// <summary>
/// Where a paper stands in a library file. <see cref="Span"/> covers the whole entry;
/// <see cref="FocusSpan"/> is where a jump lands: the key of a BibTeX/CSL entry, the title line of a listing.
/// </summary>
public sealed record SourceLocation(string Path, TextSpan Span, TextSpan FocusSpan);

/// <summary>One appearance of a paper in a library: the same paper listed several times has several.</summary>
public sealed record Listing(SourceLocation Location, string? Venue = null, string? Abstract = null, PaperDate? Date = null);

/// <summary>
/// One paper, whatever library it came from. Displayed text is already decoded (LaTeX accents to
/// Unicode, whitespace folded); math and text the source mis-encoded are kept as the source has them.
/// </summary>
public sealed record Paper
{
    public required string Key { get; init; }

    public KeyOrigin KeyOrigin { get; init; } = KeyOrigin.Source;

    /// <summary>A CSL item type: article-journal, paper-conference, book, chapter, report, thesis, article (preprint), webpage, ...</summary>
    public string Type { get; init; } = "article";

    public required string Title { get; init; }

    /// <summary>
    /// Titles as a citation processor is to be handed them, as CSL-JSON rich text by CSL variable (title,
    /// container-title, collection-title), where the source says more than the plain text: a BibTeX entry's
    /// titles as pandoc's reader gives them (English titles in sentence case, what braces protect kept as
    /// written and marked <c>&lt;span class="nocase"&gt;</c>, math without its dollars), and the URL pandoc's
    /// reader makes of an eprint (<c>URL</c>: <c>http://arxiv.org/abs/ID</c>) where the entry has no url. Null elsewhere.
    /// Displayed text never shows it; only rendering does.
    /// </summary>
    public DeferredFields? CslRichText { get; init; }

    public ImmutableArray<Person> Authors { get; init; } = ImmutableArray<Person>.Empty;

    public ImmutableArray<Person> Editors { get; init; } = ImmutableArray<Person>.Empty;

    /// <summary>Where the source gives only a count of authors ("5 authors").</summary>
    public int? AuthorCount { get; init; }

    /// <summary>Where the source names an organisation instead of authors ("Qwen", "Google").</summary>
    public string? Organization { get; init; }

    public PaperDate? Date { get; init; }

    public int? Year => Date?.Year;

    /// <summary>Journal, proceedings, or the aggregator's venue line.</summary>
    public string? Venue { get; init; }

    /// <summary>
    /// The abstract, decoded. A BibTeX library's abstracts are most of its text and few are ever shown, so
    /// there it is kept as its place in the file (<see cref="DeferredAbstract"/>) and decoded when asked for.
    /// </summary>
    public string? Abstract
    {
        get => _abstract ?? _deferredAbstract?.Decode();
        init
        {
            _abstract = value;
            _deferredAbstract = null;
        }
    }

    /// <summary>Whether the paper has an abstract (decoded or deferred), without decoding it.</summary>
    public bool HasAbstract => _abstract is not null || _deferredAbstract is not null;

    /// <summary>Sets the abstract as text still to be decoded (read back through <see cref="Abstract"/>).</summary>
    public DeferredText? DeferredAbstract
    {
        init
        {
            _deferredAbstract = value;
            _abstract = null;
        }
    }

    private readonly string? _abstract;
    private readonly DeferredText? _deferredAbstract;

    public string? Url { get; init; }

    public string? Doi { get; init; }

    public string? ArxivId { get; init; }

    /// <summary>Other fields, by CSL variable name (volume, issue, page, publisher, ...), decoded.</summary>
    public FieldMap Fields { get; init; } = FieldMap.Empty;

    /// <summary>The entry this paper was read from.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The other listings of the same paper after merging (other venues, other files), in library order.</summary>
    public ImmutableArray<Listing> OtherListings { get; init; } = ImmutableArray<Listing>.Empty;

    /// <summary>What the library knows beyond metadata (files, annotations, an application link); null for most formats.</summary>
    public PaperExtras? Extras { get; init; }

    /// <summary>Every place the paper is listed, the first first.</summary>
    public IEnumerable<SourceLocation> AllLocations => OtherListings.Select(l => l.Location).Prepend(Location);
}

/// <summary>Fields still in their source form, decoded each time they are read (see <see cref="DeferredText"/>).</summary>
public abstract record DeferredFields
{
    public abstract FieldMap Decode();
}

/// <summary>
/// Text still in its source form, decoded each time it is read: for long fields that are kept for the rare
/// reader (a hover, an export) rather than decoded for every paper of a large library at start-up.
/// </summary>
public abstract record DeferredText
{
    /// <summary>The decoded text, or null when it decodes to nothing.</summary>
    public abstract string? Decode();
}
