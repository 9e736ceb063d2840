using System.Text;
using BibServer.Core.Features;

namespace BibServer.Core.Tests.Features;

/// <summary>One test per fixture file: the feature's answer at the cursor, rendered as text, against the expected file.</summary>
public class FeatureFixtureTests
{
    public static IEnumerable<object[]> HoverFixtures => FixtureFiles.In("hover");
    public static IEnumerable<object[]> CompletionFixtures => FixtureFiles.In("completion");
    public static IEnumerable<object[]> DiagnosticFixtures => FixtureFiles.In("diagnostics");

    [Theory]
    [MemberData(nameof(HoverFixtures))]
    public void Hover_at_cursor(string fixture)
    {
        var f = FixtureFiles.Load("hover", fixture);
        var hover = Hover.Find(f.Snapshot, f.CursorPath, f.Cursor);
        var actual = hover is null ? "(no hover)" : $"range: {f.Range(f.CursorPath, hover.Span)}\n{hover.Markdown}";
        FixtureFiles.Check("hover", fixture, actual);
    }

    [Theory]
    [MemberData(nameof(CompletionFixtures))]
    public void Completion_at_cursor(string fixture)
    {
        var f = FixtureFiles.Load("completion", fixture);
        var result = Completion.Find(f.Snapshot, f.CursorPath, f.Cursor);
        var sb = new StringBuilder();
        if (result is null) sb.Append("(no completion)");
        else
        {
            sb.Append($"incomplete: {result.IsIncomplete.ToString().ToLowerInvariant()}, {result.Items.Length} items\n");
            if (result.Items.Length > 0)
                sb.Append($"replace: {f.Range(f.CursorPath, result.Items[0].ReplaceSpan)}\n");
            foreach (var item in result.Items.Take(8))
                sb.Append($"{item.Key} | {item.Detail}\n");
        }
        FixtureFiles.Check("completion", fixture, sb.ToString());
    }

    [Theory]
    [MemberData(nameof(DiagnosticFixtures))]
    public void Diagnostics_of_every_file(string fixture)
    {
        var f = FixtureFiles.Load("diagnostics", fixture);
        var sb = new StringBuilder();
        foreach (var note in f.Snapshot.Notes.Values.OrderBy(n => n.Path, StringComparer.Ordinal))
            foreach (var d in Diagnostics.ForNote(f.Snapshot, note))
                sb.Append($"{note.Path}:{f.Range(note.Path, d.Span)} {d.Severity.ToString().ToLowerInvariant()} {d.Code}: {d.Message}\n");
        foreach (var path in f.Snapshot.Libraries.Documents.Keys.Order(StringComparer.Ordinal))
            foreach (var d in Diagnostics.ForLibrary(f.Snapshot, path))
                sb.Append($"{path}:{f.Range(path, d.Span)} {d.Severity.ToString().ToLowerInvariant()} {d.Code}: {d.Message}\n");
        FixtureFiles.Check("diagnostics", fixture, sb.Length == 0 ? "(no diagnostics)" : sb.ToString());
    }
}
