using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BibServer.Core.Annotations;
using BibServer.Core.Features;
using BibServer.Core.Tests.Features;
using BibServer.Core.Text;

namespace BibServer.Core.Tests.Annotations;

/// <summary>
/// A paper's annotations in hover and completion, over the seed lists: fixtures in
/// tests/testdata/features/annotations, the expected answer beside each. Besides the usual <c>//- path</c>
/// headers, a fixture may say <c>//- path &lt;- seeds/file</c> (the file's text is a copy of test data) and
/// <c>//- path @2026-01-02</c> (when the note was last written, for the order of the passages).
/// </summary>
public sealed partial class AnnotationFixtureTests
{
    public static IEnumerable<object[]> Fixtures => FixtureFiles.In("annotations");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Answer_at_cursor(string fixture)
    {
        var f = Load(fixture);
        var actual = fixture.StartsWith("completion", StringComparison.Ordinal) ? CompletionAt(f) : HoverAt(f);
        FixtureFiles.Check("annotations", fixture, actual);
    }

    private static string HoverAt(Fixture f)
    {
        var hover = Hover.Find(f.Snapshot, f.CursorPath, f.Cursor);
        return hover is null ? "(no hover)" : $"range: {f.Range(f.CursorPath, hover.Span)}\n{hover.Markdown}";
    }

    private static string CompletionAt(Fixture f)
    {
        var result = Completion.Find(f.Snapshot, f.CursorPath, f.Cursor);
        if (result is null || result.Items.IsEmpty) return "(no completion)";
        var sb = new StringBuilder();
        foreach (var item in result.Items.Take(3)) sb.Append($"{item.Key} | {item.Detail}\n");
        sb.Append("\ndocumentation of the first:\n").Append(result.Items[0].Documentation);
        return sb.ToString();
    }

    [Fact]
    public void The_passage_under_the_cursor_is_never_shown_but_its_note_is_counted()
    {
        var f = Load("hover-cited-in-three-notes.fixture");
        var annotations = AnnotationIndex.Of(f.Snapshot, "umarsignal", new FileSpan(f.CursorPath, new TextSpan(f.Cursor, 0)));
        Assert.Equal(4, annotations.Notes);
        Assert.DoesNotContain(annotations.Passages, p => p.NotePath == f.CursorPath);
        Assert.Contains(AnnotationIndex.Of(f.Snapshot, "umarsignal").Passages, p => p.NotePath == f.CursorPath);
    }

    [Fact]
    public void Editing_a_note_changes_only_its_passages()
    {
        var f = Load("hover-cited-in-three-notes.fixture");
        var list = f.Snapshot.Note("/ws/notes/list.md")!;
        var before = AnnotationIndex.Of(f.Snapshot, "umarsignal");
        var edited = f.Snapshot.WithNote(Core.Notes.NoteParser.Parse(list.Path, list.Text.Replace("sample size", "number of samples")));
        var after = AnnotationIndex.Of(edited, "umarsignal");
        Assert.Contains(after.Passages, p => p.Text.Contains("number of samples"));
        // The other notes' passages are the same objects: only the edited note was looked at again.
        Assert.Same(before.Passages.Single(p => p.NotePath == "/ws/notes/table.md"), after.Passages.Single(p => p.NotePath == "/ws/notes/table.md"));
    }

    /// <summary>The fixture, with its seed copies read and its notes' times set.</summary>
    internal static Fixture Load(string fixture)
    {
        var text = File.ReadAllText(TestData.Path("features", "annotations", fixture));
        var times = new List<KeyValuePair<string, DateTime>>();
        var expanded = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (Header().Match(line) is not { Success: true } m)
            {
                expanded.Append(line).Append('\n');
                continue;
            }
            var path = m.Groups["path"].Value;
            expanded.Append("//- ").Append(path).Append('\n');
            if (m.Groups["copy"].Success) expanded.Append(File.ReadAllText(TestData.Path(m.Groups["copy"].Value.Split('/'))).TrimEnd('\n')).Append('\n');
            if (m.Groups["time"].Success)
                times.Add(KeyValuePair.Create(path, DateTime.Parse(m.Groups["time"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)));
        }
        var f = Fixture.Parse(expanded.ToString().TrimEnd('\n') + "\n");
        return f with { Snapshot = f.Snapshot.WithNoteTimes(times).WithLiteratureNotes(new LiteratureNoteSettings([Fixture.Root])) };
    }

    [GeneratedRegex(@"^//- (?<path>\S+)(?: <- (?<copy>\S+))?(?: @(?<time>\S+))?\s*$")]
    private static partial Regex Header();
}
