using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.Csl;

/// <summary>
/// Renders what a reader returned as readable text, the form the expected files beside the fixtures take.
/// Spans are shown as 1-based line:column with the text they cover, so a wrong offset shows as wrong text.
/// </summary>
internal static class CslRendering
{
    public static string Render(LibraryDocument document, string fileText) =>
        Render(document.Papers, document.Problems, new LineIndex(fileText), fileText);

    /// <summary>The papers alone, without where they stand: what must survive a write and a read back.</summary>
    public static string RenderContent(IEnumerable<Paper> papers) => Render(papers, [], null, null);

    private static string Render(IEnumerable<Paper> papers, IEnumerable<Problem> problems, LineIndex? lines, string? text)
    {
        var output = new StringBuilder();
        foreach (var paper in papers)
        {
            output.Append("paper ").Append(paper.Key);
            if (paper.KeyOrigin != KeyOrigin.Source) output.Append(" (").Append(paper.KeyOrigin).Append(')');
            if (lines is not null && text is not null)
            {
                output.Append(" at ").Append(Span(paper.Location.Span, lines, text, abbreviate: true));
                output.Append(" key ").Append(Span(paper.Location.FocusSpan, lines, text, abbreviate: false));
            }
            output.Append('\n');
            Line(output, "type", paper.Type);
            Line(output, "title", paper.Title);
            Line(output, "author", Names(paper.Authors));
            Line(output, "editor", Names(paper.Editors));
            if (paper.AuthorCount is { } count) Line(output, "author count", count.ToString());
            Line(output, "organization", paper.Organization);
            if (paper.Date is { } date) Line(output, "issued", date.Year is null ? $"(no year) raw «{date.Raw}»" : date + (date.Raw is null ? "" : $" raw «{date.Raw}»"));
            Line(output, "venue", paper.Venue);
            Line(output, "abstract", paper.Abstract);
            Line(output, "url", paper.Url);
            Line(output, "doi", paper.Doi);
            Line(output, "arxiv", paper.ArxivId);
            foreach (var (name, value) in paper.Fields.OrderBy(f => f.Key, StringComparer.Ordinal)) Line(output, "field " + name, value);
        }
        foreach (var problem in problems.OrderBy(p => p.Span.Start))
        {
            output.Append("problem ").Append(problem.Severity).Append(' ').Append(problem.Code);
            if (lines is not null && text is not null) output.Append(" at ").Append(Span(problem.Span, lines, text, abbreviate: true));
            output.Append("\n  ").Append(problem.Message).Append('\n');
        }
        return output.ToString();
    }

    private static void Line(StringBuilder output, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value)) output.Append("  ").Append(label).Append(": ").Append(value).Append('\n');
    }

    /// <summary>"Family, Given" | "{Literal}" | "_, Given" for a given name alone; joined by " ; ".</summary>
    private static string Names(IEnumerable<Person> people) => string.Join(" ; ", people.Select(p =>
        p.Literal is not null ? "{" + p.Literal + "}" :
        p.Given is null ? p.Family! :
        (p.Family ?? "_") + ", " + p.Given));

    private static string Span(TextSpan span, LineIndex lines, string text, bool abbreviate)
    {
        var covered = span.End <= text.Length ? text.Substring(span.Start, span.Length) : $"<past the end: {span}>";
        if (abbreviate && covered.Length > 32) covered = covered[..14] + " … " + covered[^14..];
        var shown = covered.Replace("\r", "␍").Replace("\n", "⏎").Replace("\t", "⇥");
        return $"{lines.GetPosition(span.Start)}-{lines.GetPosition(span.End)} «{shown}»";
    }
}
