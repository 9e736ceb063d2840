using BibServer.Core.Features.Search;
using BibServer.Core.Libraries;
using BibServer.Core.Workspace;

namespace BibServer.Core.Tests.Workspace;

/// <summary>
/// How the core resolves the paths a note names: with the context the server hands in, by string work alone,
/// never against the process's current directory or environment.
/// </summary>
public class PathContextTests
{
    private static readonly PathContext Context = new("/home/ada", "/work/survey");

    [Theory]
    [InlineData("/work/survey/notes/a.md", "refs.bib", "/work/survey/notes/refs.bib")]
    [InlineData("/work/survey/notes/a.md", "../refs.bib", "/work/survey/refs.bib")]
    [InlineData("/work/survey/notes/a.md", "./lib//refs.bib", "/work/survey/notes/lib/refs.bib")]
    [InlineData("/work/survey/notes/a.md", "/shared/refs.bib", "/shared/refs.bib")]
    [InlineData("/work/survey/notes/a.md", "~/refs.bib", "/home/ada/refs.bib")]
    [InlineData("untitled:Untitled-1", "refs.bib", "/work/survey/refs.bib")]
    [InlineData("untitled:Untitled-1", "../other/refs.bib", "/work/other/refs.bib")]
    public void A_path_a_note_names_is_resolved_against_its_folder_or_the_first_workspace_folder(string note, string value, string resolved)
    {
        Assert.Equal(resolved, Context.Resolve(note, value));
    }

    [Fact]
    public void Without_a_home_or_a_workspace_folder_such_paths_stay_as_written()
    {
        Assert.Equal("~/refs.bib", PathContext.None.Resolve("/w/a.md", "~/refs.bib"));
        Assert.Equal("refs.bib", PathContext.None.Resolve("untitled:Untitled-1", "refs.bib"));
    }

    [Fact]
    public void The_snapshot_resolves_with_the_context_it_was_handed()
    {
        var note = Core.Notes.NoteParser.Parse("untitled:Untitled-1", "---\nbibliography: refs.bib\n---\nSee @a.\n");
        var snapshot = WorkspaceSnapshot.Empty.WithPaths(Context).WithNote(note);

        Assert.Equal(["/work/survey/refs.bib"], snapshot.BibliographyOf(note).ToList());
        Assert.Equal(["/work/survey/refs.bib"], snapshot.UnreadLibraries([note]).ToList());
        Assert.Equal(["refs.bib"], WorkspaceSnapshot.Empty.WithNote(note).BibliographyOf(note).ToList());
    }

    [Fact]
    public void A_search_index_is_kept_on_the_merge_it_describes_and_made_once()
    {
        var document = LibraryReader.Read("/w/refs.bib", "@article{a, title={A}}\n");
        var set = LibrarySet.Build([document]);
        var again = LibrarySet.Build([document]);

        var indexes = Enumerable.Range(0, 8).AsParallel().Select(_ => PaperIndex.Of(set)).Distinct().ToList();
        Assert.Single(indexes);
        Assert.NotSame(indexes[0], PaperIndex.Of(again));
    }
}
