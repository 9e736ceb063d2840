using System.Text;
using BibServer.Core.Features;
using BibServer.Core.Features.Search;

namespace BibServer.Core.Tests.Features;

/// <summary>
/// A note's diagnostics asked with <see cref="NoteDiagnosticsOptions.ClosestKeysIfReady"/> (the language server's first
/// answer after start-up) name a broken key's closest keys only once the search index of a large library is built;
/// small libraries are always ready (their index is built in a few milliseconds when asked), and by default the
/// closest keys are always named.
/// </summary>
public class FirstAnswerDiagnosticsTests
{
    private static Fixture Workspace(int papers)
    {
        var text = new StringBuilder("//- /ws/library.bib\n");
        for (var i = 0; i < papers; i++) text.Append($"@article{{paper{i}smith, title = {{Paper {i}}}, year = 2020}}\n");
        text.Append("//- /ws/note.md\nSee [@paper17smih].\n");
        return Fixture.Parse(text.ToString());
    }

    private static string Message(Fixture f, NoteDiagnosticsOptions options) =>
        Assert.Single(Diagnostics.ForNote(f.Snapshot, f.Snapshot.Note("/ws/note.md")!, options)).Message;

    private const string Unknown = "Unknown citation key `paper17smih`: no library of this note has it.";

    [Fact]
    public void A_large_library_without_its_index_gets_no_closest_keys_until_it_is_prepared()
    {
        var f = Workspace(5000);
        var note = f.Snapshot.Note("/ws/note.md")!;
        var firstAnswer = new NoteDiagnosticsOptions(ClosestKeysIfReady: true);

        Assert.False(ClosestKeys.IsReady(f.Snapshot.ScopeOf(note)));
        Assert.Equal(Unknown, Message(f, firstAnswer));

        ClosestKeys.Prepare(f.Snapshot.ScopeOf(note));
        Assert.True(ClosestKeys.IsReady(f.Snapshot.ScopeOf(note)));
        Assert.StartsWith(Unknown + " Closest: `paper17smith`", Message(f, firstAnswer));
    }

    [Fact]
    public void By_default_and_for_a_small_library_the_closest_keys_are_named_at_once()
    {
        Assert.StartsWith(Unknown + " Closest: `paper17smith`", Message(Workspace(5000), NoteDiagnosticsOptions.Default));
        Assert.StartsWith(Unknown + " Closest: `paper17smith`", Message(Workspace(100), new NoteDiagnosticsOptions(ClosestKeysIfReady: true)));
    }
}
