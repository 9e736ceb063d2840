using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.PaperLists;

/// <summary>
/// Writes what a reader made of a file as readable text, one line per paper and per problem, so that the
/// expected answer of a fixture is a text file a person can check against the fixture line by line.
/// </summary>
internal static class ListDump
{
    public const string PaperHeader = "# key | title | authors (or count, or org:) | venue | date (as written) | lines | abstract's line | other fields";

    public static string Describe(LibraryDocument document)
    {
        var builder = new StringBuilder();
        builder.AppendLine(PaperHeader);
        foreach (var paper in document.Papers) builder.AppendLine(Describe(paper, document));
        foreach (var problem in document.Problems) builder.AppendLine(Describe(problem, document.Lines));
        return builder.ToString();
    }

    public static string Describe(Paper paper, LibraryDocument document)
    {
        var lines = document.Lines;
        var first = lines.GetPosition(paper.Location.Span.Start).Line + 1;
        var last = lines.GetPosition(paper.Location.Span.End).Line + 1;
        return string.Join(" | ",
            paper.Key,
            paper.Title,
            Authors(paper),
            paper.Venue ?? "-",
            Date(paper.Date),
            first == last ? $"L{first}" : $"L{first}-{last}",
            AbstractLine(paper, document),
            paper.Fields.IsEmpty ? "-" : string.Join(", ", paper.Fields.OrderBy(f => f.Key).Select(f => $"{f.Key}={f.Value}")));
    }

    public static string Authors(Paper paper)
    {
        if (!paper.Authors.IsEmpty) return string.Join("; ", paper.Authors.Select(a => a.Given is null ? a.Family : $"{a.Family}, {a.Given}"));
        if (paper.AuthorCount is { } count) return $"{count} authors";
        if (paper.Organization is { } org) return $"org: {org}";
        return "-";
    }

    public static string Date(PaperDate? date) =>
        date is null ? "-" : date.Year is null ? $"? ({date.Raw})" : $"{date} ({date.Raw})";

    /// <summary>
    /// Where the abstract is in the file: found by searching the paper's own span for the abstract's text, and
    /// named by its lines only when it is exactly their content, so the column shows that the abstract is the
    /// file's text unchanged, whole, and from this entry.
    /// </summary>
    private static string AbstractLine(Paper paper, LibraryDocument document)
    {
        if (paper.Abstract is null) return "no abstract";
        var span = paper.Location.Span;
        var text = document.Text;
        var at = text.IndexOf(paper.Abstract, span.Start, span.Length, StringComparison.Ordinal);
        if (at < 0) return "abstract not in entry";
        var end = at + paper.Abstract.Length;
        var first = document.Lines.GetPosition(at).Line;
        var last = document.Lines.GetPosition(end).Line;
        var startsLine = text[document.Lines.LineStart(first)..at].All(IsSpace);
        var lineEnd = last + 1 < document.Lines.LineCount ? document.Lines.LineStart(last + 1) : text.Length;
        var endsLine = text[end..lineEnd].All(c => IsSpace(c) || c is '\r' or '\n');
        if (!startsLine || !endsLine) return $"abstract inside L{first + 1}";
        return first == last ? $"abstract L{first + 1}" : $"abstract L{first + 1}-{last + 1}";
    }

    private static bool IsSpace(char c) => char.IsWhiteSpace(c) || c == '\uFEFF';

    /// <summary>
    /// The merged library: one line per paper with its final key and where each of its listings is (file
    /// number in library order, line of the title), then the problems of each file.
    /// </summary>
    public static string Describe(LibrarySet set)
    {
        var builder = new StringBuilder();
        builder.AppendLine("# key | title | authors (or count, or org:) | venue | date (as written) | listings (file:line venue) | other fields");
        var fileNumbers = set.Documents.Select((d, i) => (d.Path, i)).GroupBy(x => x.Path).ToDictionary(g => g.Key, g => g.First().i);
        string Where(SourceLocation location)
        {
            var index = fileNumbers[location.Path];
            var line = set.Documents[index].Lines.GetPosition(location.FocusSpan.Start).Line + 1;
            return $"{index}:L{line}";
        }
        foreach (var paper in set.Papers)
        {
            var listings = new[] { $"{Where(paper.Location)}" }
                .Concat(paper.OtherListings.Select(l => $"{Where(l.Location)} {l.Venue ?? "-"}"));
            builder.AppendLine(string.Join(" | ",
                paper.Key,
                paper.Title,
                Authors(paper),
                paper.Venue ?? "-",
                Date(paper.Date),
                string.Join(", ", listings),
                paper.Fields.IsEmpty ? "-" : string.Join(", ", paper.Fields.OrderBy(f => f.Key).Select(f => $"{f.Key}={f.Value}"))));
        }
        foreach (var document in set.Documents)
        {
            foreach (var problem in set.ProblemsFor(document.Path))
            {
                builder.AppendLine($"{fileNumbers[document.Path]}{Describe(problem, document.Lines)}");
            }
        }
        return builder.ToString();
    }

    public static string Describe(Problem problem, LineIndex lines)
    {
        var line = lines.GetPosition(problem.Span.Start).Line + 1;
        return $"! {problem.Severity} L{line} {problem.Code}: {problem.Message}";
    }
}
