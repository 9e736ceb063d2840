using System.Collections.Frozen;

namespace BibServer.Core.Libraries.Csl;

/// <summary>The CSL 1.0.2 variables by kind: the reader checks values against them and the writers use them.</summary>
internal static class CslVariables
{
    public static readonly FrozenSet<string> Names = FrozenSet.ToFrozenSet(
    [
        "author", "chair", "collection-editor", "compiler", "composer", "container-author", "contributor",
        "curator", "director", "editor", "editorial-director", "editor-translator", "executive-producer",
        "guest", "host", "illustrator", "interviewer", "narrator", "organizer", "original-author", "performer",
        "producer", "recipient", "reviewed-author", "script-writer", "series-creator", "translator",
    ]);

    public static readonly FrozenSet<string> Dates = FrozenSet.ToFrozenSet(
    [
        "accessed", "available-date", "event-date", "issued", "original-date", "submitted",
    ]);

    /// <summary>Standard and number variables: both are text to us (CSL allows numbers as numbers or strings).</summary>
    public static readonly FrozenSet<string> Texts = FrozenSet.ToFrozenSet(
    [
        "abstract", "annote", "archive", "archive_collection", "archive_location", "archive-place", "authority",
        "call-number", "citation-key", "citation-label", "collection-title", "container-title",
        "container-title-short", "dimensions", "division", "DOI", "event", "event-title", "event-place", "genre",
        "ISBN", "ISSN", "jurisdiction", "keyword", "language", "license", "medium", "note", "original-publisher",
        "original-publisher-place", "original-title", "part-title", "PMCID", "PMID", "publisher",
        "publisher-place", "references", "reviewed-genre", "reviewed-title", "scale", "section", "source",
        "status", "title", "title-short", "URL", "version", "volume-title", "volume-title-short", "year-suffix",
        "chapter-number", "citation-number", "collection-number", "edition", "first-reference-note-number",
        "issue", "locator", "number", "number-of-pages", "number-of-volumes", "page", "page-first",
        "part-number", "printing-number", "section-number", "supplement-number", "volume", "type", "id",
    ]);

    /// <summary>
    /// Variables the paper model holds in its own properties; every other text variable goes to Fields.
    /// Venue fallbacks (event-title, collection-title) stay in Fields too, so nothing the source said is lost.
    /// </summary>
    public static readonly FrozenSet<string> Mapped = FrozenSet.ToFrozenSet(
    [
        "id", "type", "title", "author", "editor", "issued", "container-title", "abstract", "URL", "DOI",
    ]);

    /// <summary>Where a venue comes from when there is no container-title, best first.</summary>
    public static readonly string[] VenueFallbacks = ["event-title", "event", "collection-title"];
}
