using System.Collections.Immutable;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.PaperLists;

/// <summary>The fields of one entry as a layout found them, before they become a <see cref="Paper"/>.</summary>
internal sealed record EntryFields(ListLine Title, int End)
{
    /// <summary>The title's text when a layout joined several lines; null means the title line's text.</summary>
    public string? TitleText { get; init; }

    public ImmutableArray<Person> Authors { get; init; } = ImmutableArray<Person>.Empty;

    public int? AuthorCount { get; init; }

    public string? Organization { get; init; }

    public string? Venue { get; init; }

    public string? Abstract { get; init; }

    public PaperDate? Date { get; init; }
}

/// <summary>One reading of one paper list: the text, its lines, and the papers and problems found so far.</summary>
internal sealed class ListReading(string path, string text, PaperListOptions options)
{
    public string Path { get; } = path;

    public string Text { get; } = text;

    public PaperListOptions Options { get; } = options;

    public ListLine[] Lines { get; } = ListLine.Split(text);

    public List<Paper> Papers { get; } = [];

    public List<Problem> Problems { get; } = [];

    public string TextOf(ListLine line) => line.Text(Text);

    /// <summary>The text from the start of one line's content to the end of another's, as the file has it.</summary>
    public string TextOf(ListLine first, ListLine last) => Text[first.ContentStart..last.ContentEnd];

    /// <summary>Several lines read as one field: their contents joined by single spaces.</summary>
    public string JoinedText(IReadOnlyList<ListLine> lines) =>
        lines.Count == 1 ? TextOf(lines[0]) : string.Join(' ', lines.Select(TextOf));

    public static int LineNumber(ListLine line) => line.Number + 1;

    public void Report(Severity severity, string message, TextSpan span, string code) =>
        Problems.Add(new Problem(severity, message, span, code));

    public void Add(EntryFields entry)
    {
        var title = entry.TitleText ?? TextOf(entry.Title);
        var fields = FieldMap.Empty;
        if (SiteSuffix.TrySplitKnown(title, Options.SiteNames, out var bare, out var site))
        {
            title = bare;
            fields = fields.Add("publisher", site);
        }
        Papers.Add(new Paper
        {
            Key = "",
            KeyOrigin = KeyOrigin.Generated,
            Type = "article",
            Title = title,
            Authors = entry.Authors,
            AuthorCount = entry.AuthorCount,
            Organization = entry.Organization,
            Venue = entry.Venue,
            Abstract = string.IsNullOrEmpty(entry.Abstract) ? null : entry.Abstract,
            Date = entry.Date,
            Fields = fields,
            Location = new SourceLocation(Path, TextSpan.FromBounds(entry.Title.ContentStart, entry.End), entry.Title.Content),
        });
    }

    /// <summary>
    /// An entry that stops before its layout's last field at the end of the file: the file was cut off, and
    /// even the lines that are there (the title itself) may be cut short, so no paper is made of it.
    /// </summary>
    public void ReportTruncated(ListLine first, ListLine last, string missing) =>
        Report(Severity.Warning,
            $"The entry at line {LineNumber(first)} stops at the end of the file before its {missing}: the file looks cut off, so this entry is not read as a paper.",
            TextSpan.FromBounds(first.ContentStart, last.ContentEnd), PaperListReader.Codes.TruncatedEntry);

    public void ReportMissingAbstract(ListLine title) =>
        Report(Severity.Warning,
            $"The paper at line {LineNumber(title)} has no abstract; it is read without one.",
            title.Content, PaperListReader.Codes.MissingAbstract);
}
