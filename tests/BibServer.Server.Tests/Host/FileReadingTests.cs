using BibServer.Documents;
using BibServer.Loading;

namespace BibServer.Server.Tests.Host;

/// <summary>
/// What FileReading hands the session for the libraries a note names: a file that is there comes with its
/// text, one that is not comes with nothing, so that the note's bibliography is reported missing rather than
/// read as an empty library.
/// </summary>
public class FileReadingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-reading-").FullName;

    [Fact]
    public void A_named_library_that_does_not_exist_becomes_missing_and_one_that_exists_is_read()
    {
        File.WriteAllText(Path.Combine(_root, "here.bib"), "@article{here, title={Here}}\n");
        var uri = DocumentUris.FromPath(Path.Combine(_root, "note.md"));
        var opened = Snapshots.Next(ServerSnapshot.Initial,
            new Change.DocumentOpened(OpenDocument.Create(uri, 1, "---\nbibliography:\n- here.bib\n- nowhere.bib\n---\nSee @here.\n", "markdown")));
        var note = opened.Workspace.Note(Path.Combine(_root, "note.md"))!;

        var changes = FileReading.ReadNamedLibraries(opened.Workspace.UnreadLibraries([note]));
        Assert.Equal([true, false], changes.Select(change => change.Content is not null));

        var read = Snapshots.Next(opened, new Change.LibrariesRead(changes));
        Assert.Equal(["here"], read.Workspace.Library(Path.Combine(_root, "here.bib"))!.Papers.Select(p => p.Key));
        Assert.Equal([Path.Combine(_root, "nowhere.bib")], read.Workspace.Libraries.Missing);
        Assert.Empty(read.Workspace.UnreadLibraries([note]));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
