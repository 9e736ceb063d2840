using System.Collections.Frozen;

namespace BibServer.Core.Libraries.Zotero;

/// <summary>
/// Zotero's item types and fields in CSL's terms, after Zotero's own CSL mapping (its schema's <c>csl</c>
/// section). Type-specific fields are first brought to their base field with the database's
/// <c>baseFieldMappingsCombined</c> (<c>university</c> is a <c>publisher</c>, <c>proceedingsTitle</c> a
/// <c>publicationTitle</c>), so this table names base fields only.
/// </summary>
internal static class ZoteroSchema
{
    /// <summary>Item types that are not papers: they hang off papers (or stand alone) and are counted, not cited.</summary>
    public static readonly FrozenSet<string> NotPapers = FrozenSet.ToFrozenSet(["attachment", "note", "annotation"], StringComparer.Ordinal);

    public static readonly FrozenDictionary<string, string> CslTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["artwork"] = "graphic",
        ["audioRecording"] = "song",
        ["bill"] = "bill",
        ["blogPost"] = "post-weblog",
        ["book"] = "book",
        ["bookSection"] = "chapter",
        ["case"] = "legal_case",
        ["computerProgram"] = "software",
        ["conferencePaper"] = "paper-conference",
        ["dataset"] = "dataset",
        ["dictionaryEntry"] = "entry-dictionary",
        ["document"] = "document",
        ["email"] = "personal_communication",
        ["encyclopediaArticle"] = "entry-encyclopedia",
        ["film"] = "motion_picture",
        ["forumPost"] = "post",
        ["hearing"] = "hearing",
        ["instantMessage"] = "personal_communication",
        ["interview"] = "interview",
        ["journalArticle"] = "article-journal",
        ["letter"] = "personal_communication",
        ["magazineArticle"] = "article-magazine",
        ["manuscript"] = "manuscript",
        ["map"] = "map",
        ["newspaperArticle"] = "article-newspaper",
        ["patent"] = "patent",
        ["podcast"] = "song",
        ["preprint"] = "article",
        ["presentation"] = "speech",
        ["radioBroadcast"] = "broadcast",
        ["report"] = "report",
        ["standard"] = "standard",
        ["statute"] = "legislation",
        ["thesis"] = "thesis",
        ["tvBroadcast"] = "broadcast",
        ["videoRecording"] = "motion_picture",
        ["webpage"] = "webpage",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Base fields that become a paper's other fields, by CSL variable name.</summary>
    public static readonly FrozenDictionary<string, string> CslFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["volume"] = "volume",
        ["issue"] = "issue",
        ["pages"] = "page",
        ["numPages"] = "number-of-pages",
        ["publisher"] = "publisher",
        ["place"] = "publisher-place",
        ["ISBN"] = "ISBN",
        ["ISSN"] = "ISSN",
        ["edition"] = "edition",
        ["series"] = "collection-title",
        ["seriesNumber"] = "collection-number",
        ["number"] = "number",
        ["language"] = "language",
        ["shortTitle"] = "title-short",
        ["journalAbbreviation"] = "container-title-short",
        ["archive"] = "archive",
        ["archiveLocation"] = "archive_location",
        ["callNumber"] = "call-number",
        ["rights"] = "license",
        ["type"] = "genre",
        ["medium"] = "medium",
        ["versionNumber"] = "version",
        ["conferenceName"] = "event-title",
        ["section"] = "section",
        ["archiveID"] = "number",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
