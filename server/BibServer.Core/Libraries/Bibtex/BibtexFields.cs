using System.Collections.Frozen;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// The BibTeX fields BibServer reads. Every other field (file, local-url, date-added, ...) is skipped
/// by the scanner without being decoded, which is most of the time saved on large libraries.
/// </summary>
internal enum BibField : byte
{
    Unknown,
    Title,
    Subtitle,
    ShortTitle,
    Author,
    Editor,
    Year,
    Month,
    Date,
    Journal,
    JournalTitle,
    ShortJournal,
    BookTitle,
    BookSubtitle,
    EventTitle,
    Venue,
    Publisher,
    School,
    Institution,
    Organization,
    HowPublished,
    Abstract,
    Url,
    UrlDate,
    Doi,
    Eprint,
    EprintType,
    ArchivePrefix,
    ArxivId,
    Volume,
    Number,
    Issue,
    Pages,
    Address,
    Location,
    Edition,
    Series,
    Isbn,
    Issn,
    Note,
    Language,
    Keywords,
    Type,
    Chapter,
    PageTotal,
    Version,
    Pmid,
    Pmcid,
    Crossref,
    LangId,
    Hyphenation,
}

/// <summary>The kinds of <c>@</c> blocks the scanner tells apart before it knows anything about papers.</summary>
internal enum BlockKind : byte
{
    Entry,
    String,
    Comment,
    Preamble,
}

/// <summary>Name tables for fields and block types, looked up by span so that no name is allocated.</summary>
internal static class BibtexFields
{
    private static readonly FrozenDictionary<string, BibField> Fields =
        new Dictionary<string, BibField>(StringComparer.OrdinalIgnoreCase)
        {
            ["title"] = BibField.Title,
            ["subtitle"] = BibField.Subtitle,
            ["shorttitle"] = BibField.ShortTitle,
            ["author"] = BibField.Author,
            ["editor"] = BibField.Editor,
            ["year"] = BibField.Year,
            ["month"] = BibField.Month,
            ["date"] = BibField.Date,
            ["journal"] = BibField.Journal,
            ["journaltitle"] = BibField.JournalTitle,
            ["shortjournal"] = BibField.ShortJournal,
            ["journalabbrev"] = BibField.ShortJournal,
            ["booktitle"] = BibField.BookTitle,
            ["booksubtitle"] = BibField.BookSubtitle,
            ["eventtitle"] = BibField.EventTitle,
            ["venue"] = BibField.Venue,
            ["publisher"] = BibField.Publisher,
            ["school"] = BibField.School,
            ["institution"] = BibField.Institution,
            ["organization"] = BibField.Organization,
            ["howpublished"] = BibField.HowPublished,
            ["abstract"] = BibField.Abstract,
            ["url"] = BibField.Url,
            ["urldate"] = BibField.UrlDate,
            ["doi"] = BibField.Doi,
            ["eprint"] = BibField.Eprint,
            ["eprinttype"] = BibField.EprintType,
            ["archiveprefix"] = BibField.ArchivePrefix,
            ["arxivid"] = BibField.ArxivId,
            ["volume"] = BibField.Volume,
            ["number"] = BibField.Number,
            ["issue"] = BibField.Issue,
            ["pages"] = BibField.Pages,
            ["address"] = BibField.Address,
            ["location"] = BibField.Location,
            ["edition"] = BibField.Edition,
            ["series"] = BibField.Series,
            ["isbn"] = BibField.Isbn,
            ["issn"] = BibField.Issn,
            ["note"] = BibField.Note,
            ["language"] = BibField.Language,
            ["keywords"] = BibField.Keywords,
            ["type"] = BibField.Type,
            ["chapter"] = BibField.Chapter,
            ["pagetotal"] = BibField.PageTotal,
            ["version"] = BibField.Version,
            ["pmid"] = BibField.Pmid,
            ["pmcid"] = BibField.Pmcid,
            ["crossref"] = BibField.Crossref,
            ["langid"] = BibField.LangId,
            ["hyphenation"] = BibField.Hyphenation,
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, BibField>.AlternateLookup<ReadOnlySpan<char>> FieldLookup =
        Fields.GetAlternateLookup<ReadOnlySpan<char>>();

    public static BibField Field(ReadOnlySpan<char> name) =>
        FieldLookup.TryGetValue(name, out var field) ? field : BibField.Unknown;

    public static BlockKind Block(ReadOnlySpan<char> type) =>
        type.Equals("string", StringComparison.OrdinalIgnoreCase) ? BlockKind.String :
        type.Equals("comment", StringComparison.OrdinalIgnoreCase) ? BlockKind.Comment :
        type.Equals("preamble", StringComparison.OrdinalIgnoreCase) ? BlockKind.Preamble :
        BlockKind.Entry;
}
