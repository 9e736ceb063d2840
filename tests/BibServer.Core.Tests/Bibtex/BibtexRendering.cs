using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Papers;

namespace BibServer.Core.Tests.Bibtex;

/// <summary>
/// Writes a read library as the readable text the expected files hold: one block per paper (only the
/// properties it has), then the problems with their 1-based line:column.
/// </summary>
internal static class BibtexRendering
{
    public static string Render(LibraryDocument doc)
    {
        var sb = new StringBuilder();
        foreach (var p in doc.Papers)
        {
            var first = doc.Lines.GetPosition(p.Location.Span.Start).Line + 1;
            var last = doc.Lines.GetPosition(p.Location.Span.End).Line + 1;
            sb.Append(p.Key).Append(" (lines ").Append(first).Append('-').Append(last).Append(")\n");
            Line(sb, "type", p.Type);
            Line(sb, "title", p.Title.Length == 0 ? null : p.Title);
            Line(sb, "authors", People(p.Authors));
            Line(sb, "editors", People(p.Editors));
            Line(sb, "organization", p.Organization);
            Line(sb, "date", Date(p.Date));
            Line(sb, "venue", p.Venue);
            Line(sb, "abstract", p.Abstract);
            Line(sb, "url", p.Url);
            Line(sb, "doi", p.Doi);
            Line(sb, "arxiv", p.ArxivId);
            Line(sb, "fields", p.Fields.IsEmpty ? null : string.Join(" | ", p.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}")));
            sb.Append('\n');
        }
        foreach (var problem in doc.Problems)
        {
            var at = doc.Lines.GetPosition(problem.Span.Start);
            sb.Append("problem at ").Append(at).Append(" (").Append(problem.Severity.ToString().ToLowerInvariant())
              .Append(' ').Append(problem.Code).Append("): ").Append(problem.Message).Append('\n');
        }
        return sb.ToString();
    }

    public static string Person(Person p) =>
        p.Literal is not null ? "{" + p.Literal + "}" :
        p.Given is null ? p.Family ?? "" : $"{p.Family}, {p.Given}";

    private static string? People(IReadOnlyList<Person> people) =>
        people.Count == 0 ? null : string.Join(" | ", people.Select(Person));

    private static string? Date(PaperDate? date)
    {
        if (date is null) return null;
        var shown = date.ToString();
        var plain = date.Year?.ToString("D4");
        return date.Raw is null || date.Raw == shown || date.Raw == plain ? shown : $"{shown} (from \"{date.Raw}\")";
    }

    private static void Line(StringBuilder sb, string name, string? value)
    {
        if (value is null) return;
        sb.Append("  ").Append(name).Append(": ").Append(value).Append('\n');
    }
}
