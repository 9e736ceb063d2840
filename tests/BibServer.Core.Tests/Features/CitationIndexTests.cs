using BibServer.Core.Features;
using BibServer.Core.Notes;
using BibServer.Core.Workspace;

namespace BibServer.Core.Tests.Features;

/// <summary>
/// The citation counts are summed once and then adjusted as notes change; after any sequence of changes
/// they must equal counting every citation of every note afresh.
/// </summary>
public class CitationIndexTests
{
    private static NoteDocument Note(string name, string text) => NoteParser.Parse($"/ws/notes/{name}.md", text);

    private static Dictionary<string, KeyUse> Counted(WorkspaceSnapshot snapshot)
    {
        var uses = new Dictionary<string, KeyUse>();
        foreach (var note in snapshot.Notes.Values)
            foreach (var group in note.Citations.Where(c => !c.IsCrossReference).GroupBy(c => c.Key))
            {
                var use = uses.GetValueOrDefault(group.Key);
                uses[group.Key] = new KeyUse(use.Citations + group.Count(), use.Notes + 1);
            }
        return uses;
    }

    private static void AssertCountsAreFresh(WorkspaceSnapshot snapshot, IEnumerable<string> keys)
    {
        var expected = Counted(snapshot);
        foreach (var key in keys)
            Assert.True(expected.GetValueOrDefault(key) == References.UseOf(snapshot, key), $"{key}: expected {expected.GetValueOrDefault(key)}, got {References.UseOf(snapshot, key)}");
    }

    [Fact]
    public void Counts_follow_edits_added_and_removed_notes()
    {
        string[] keys = ["a", "b", "c", "d", "fig-x"];
        var snapshot = WorkspaceSnapshot.Empty.WithNotes([
            Note("one", "[@a; @b] and @a, see @fig-x."),
            Note("two", "@b [p. 3] and [-@c]."),
            Note("three", "Nothing."),
        ]);
        AssertCountsAreFresh(snapshot, keys);
        Assert.Equal(new KeyUse(2, 1), References.UseOf(snapshot, "a"));

        var steps = new Func<WorkspaceSnapshot, WorkspaceSnapshot>[]
        {
            s => s.WithNote(Note("one", "[@a; @b] and @a, see @fig-x. More: @d")),
            s => s.WithNote(Note("one", "Everything deleted.")),
            s => s.WithNote(Note("four", "@c @c @c")),
            s => s.WithoutNote("/ws/notes/two.md"),
            s => s.WithNotes([Note("one", "@a"), Note("three", "@a @b")]),
            s => s.WithoutNote("/ws/notes/four.md").WithoutNote("/ws/notes/one.md"),
        };
        foreach (var step in steps)
        {
            snapshot = step(snapshot);
            AssertCountsAreFresh(snapshot, keys);
        }
        Assert.Equal(new KeyUse(1, 1), References.UseOf(snapshot, "a"));
        Assert.Equal(new KeyUse(0, 0), References.UseOf(snapshot, "c"));
    }

    [Fact]
    public void Counts_of_an_older_snapshot_stay_as_they_were()
    {
        var before = WorkspaceSnapshot.Empty.WithNote(Note("one", "@a @a"));
        Assert.Equal(new KeyUse(2, 1), References.UseOf(before, "a"));

        var after = before.WithNote(Note("one", "@a"));
        Assert.Equal(new KeyUse(1, 1), References.UseOf(after, "a"));
        Assert.Equal(new KeyUse(2, 1), References.UseOf(before, "a"));
    }
}
