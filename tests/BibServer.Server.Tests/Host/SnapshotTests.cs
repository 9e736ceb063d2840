using BibServer.Documents;
using BibServer.Loading;
using Microsoft.Extensions.Logging;

namespace BibServer.Server.Tests.Host;

/// <summary>Snapshots.Next (a change makes the next snapshot) and ServerState (the atomic swap).</summary>
public class SnapshotTests
{
    private const string Uri = "file:///notes/a.md";

    [Fact]
    public void Document_changes_make_new_snapshots_and_count_revisions()
    {
        var opened = Snapshots.Next(ServerSnapshot.Initial, new Change.DocumentOpened(OpenDocument.Create(Uri, 1, "See @a.")));
        var edited = Snapshots.Next(opened, new Change.DocumentEdited(Uri, 2, [DocumentChange.Replace(new(0, 5), new(0, 6), "b")]));
        var closed = Snapshots.Next(edited, new Change.DocumentClosed(Uri));

        Assert.Equal("See @a.", opened.Documents.Get(Uri)!.Text);
        Assert.Equal(("See @b.", 2), (edited.Documents.Get(Uri)!.Text, edited.Documents.Get(Uri)!.Version));
        Assert.Null(closed.Documents.Get(Uri));
        Assert.Equal([1, 2, 3], new[] { opened.Revision, edited.Revision, closed.Revision });
    }

    [Fact]
    public void An_edit_to_a_document_that_is_not_open_changes_nothing_but_the_revision()
    {
        var next = Snapshots.Next(ServerSnapshot.Initial, new Change.DocumentEdited(Uri, 2, [DocumentChange.Full("x")]));

        Assert.Equal(0, next.Documents.Count);
        Assert.Equal(1, next.Revision);
    }

    [Fact]
    public void A_snapshot_taken_before_a_change_still_reads_the_old_world()
    {
        var state = new ServerState(ServerSnapshot.Initial);
        state.Apply(new Change.DocumentOpened(OpenDocument.Create(Uri, 1, "old")));
        var taken = state.Current;

        var (before, after) = state.Apply(new Change.DocumentEdited(Uri, 2, [DocumentChange.Full("new")]));

        Assert.Same(taken, before);
        Assert.Equal("old", taken.Documents.Get(Uri)!.Text);
        Assert.Equal("new", state.Current.Documents.Get(Uri)!.Text);
        Assert.Same(after, state.Current);
    }

    [Theory]
    [InlineData(null, "off", LogLevel.Information)]
    [InlineData(null, "messages", LogLevel.Debug)]
    [InlineData(null, "verbose", LogLevel.Trace)]
    [InlineData(LogLevel.Warning, "verbose", LogLevel.Warning)]
    public void The_client_log_level_is_the_setting_or_else_the_trace_value(LogLevel? setting, string trace, LogLevel expected)
    {
        var snapshot = ServerSnapshot.Initial with { Settings = new ServerSettings { LogLevel = setting }, Trace = trace };

        Assert.Equal(expected, snapshot.ClientLogLevel);
    }

    [Fact]
    public void A_trace_setting_overrides_the_trace_of_initialize_and_a_later_setTrace_overrides_it()
    {
        var initialized = Snapshots.Next(ServerSnapshot.Initial,
            new Change.Initialized(new ServerSettings { Trace = "verbose" }, ["/notes"], "off"));
        var traced = Snapshots.Next(initialized, new Change.TraceChanged("messages"));

        Assert.Equal("verbose", initialized.Trace);
        Assert.Equal<string>(["/notes"], initialized.Roots);
        Assert.Equal("messages", traced.Trace);
    }

    [Fact]
    public void A_library_named_for_the_first_time_while_its_file_is_open_is_read_from_the_buffer()
    {
        // The note and its library opened together before the workspace was read: the library was no library
        // yet when its buffer came, so the read of what the note names must take the buffer, not skip the file.
        const string bibUri = "file:///notes/refs.bib";
        var loaded = Snapshots.Next(ServerSnapshot.Initial, new Change.WorkspaceLoaded(Core.Workspace.WorkspaceSnapshot.Empty, "Settings"));
        var note = Snapshots.Next(loaded, new Change.DocumentOpened(OpenDocument.Create(Uri, 1, "---\nbibliography: refs.bib\n---\nSee @fromBuffer.\n", "markdown")));
        var bib = Snapshots.Next(note, new Change.DocumentOpened(OpenDocument.Create(bibUri, 1, "@article{fromBuffer, title={Unsaved}}\n", "bibtex")));
        Assert.Null(bib.Workspace.Library("/notes/refs.bib"));

        var read = Snapshots.Next(bib, new Change.LibrariesRead([new FileChange("/notes/refs.bib", FileChangeKind.Created, "@article{fromDisk, title={Saved}}\n")]));

        var library = read.Workspace.Library("/notes/refs.bib");
        Assert.NotNull(library);
        Assert.Equal(["fromBuffer"], library.Papers.Select(p => p.Key));
    }

    [Fact]
    public void An_edit_below_the_front_matter_keeps_it_and_parses_the_rest_when_asked()
    {
        const string text = "---\nbibliography: refs.bib\n---\nSee @a.\n";
        var opened = Snapshots.Next(ServerSnapshot.Initial, new Change.DocumentOpened(OpenDocument.Create(Uri, 1, text, "markdown")));
        var below = Snapshots.Next(opened, new Change.DocumentEdited(Uri, 2, [DocumentChange.Replace(new(3, 5), new(3, 6), "b")]));
        var inside = Snapshots.Next(below, new Change.DocumentEdited(Uri, 3, [DocumentChange.Replace(new(1, 14), new(1, 18), "more")]));

        var note = below.Workspace.Note("/notes/a.md")!;
        Assert.False(note.IsParsed);
        Assert.Same(opened.Workspace.Note("/notes/a.md")!.FrontMatter, note.FrontMatter);
        Assert.Equal(["b"], note.Citations.Select(c => c.Key));
        Assert.True(note.IsParsed);
        // An edit inside the front matter parses at once: what the note sees may have changed.
        var edited = inside.Workspace.Note("/notes/a.md")!;
        Assert.True(edited.IsParsed);
        Assert.Equal(["more.bib"], edited.FrontMatter!.Bibliography.Select(b => b.Value));
    }

    [Fact]
    public void A_load_keeps_the_notes_on_disk_it_knew_until_it_has_read_them_again()
    {
        var disk = Core.Notes.NoteParser.Parse("/notes/b.md", "See @b.\n");
        var first = Snapshots.Next(ServerSnapshot.Initial, new Change.NotesLoaded([disk], []));
        var reloaded = Snapshots.Next(first, new Change.WorkspaceLoaded(Core.Workspace.WorkspaceSnapshot.Empty, "Settings"));
        var reread = Snapshots.Next(reloaded, new Change.NotesLoaded([], []));

        Assert.Same(disk, reloaded.Workspace.Note("/notes/b.md"));
        Assert.Null(reread.Workspace.Note("/notes/b.md"));
    }

    [Fact]
    public void A_load_that_did_not_read_a_library_an_open_note_names_keeps_the_one_read_meanwhile()
    {
        // The note opened while the load ran: its library was read (LibrariesRead) before the load was applied.
        var note = Snapshots.Next(ServerSnapshot.Initial, new Change.DocumentOpened(OpenDocument.Create(Uri, 1, "---\nbibliography: refs.bib\n---\nSee @a.\n", "markdown")));
        var read = Snapshots.Next(note, new Change.LibrariesRead([new FileChange("/notes/refs.bib", FileChangeKind.Created, "@article{a, title={A}}\n")]));

        var loaded = Snapshots.Next(read, new Change.WorkspaceLoaded(Core.Workspace.WorkspaceSnapshot.Empty, "Settings"));

        Assert.Same(read.Workspace.Library("/notes/refs.bib"), loaded.Workspace.Library("/notes/refs.bib"));
    }

    [Fact]
    public void A_read_of_what_a_note_names_that_lands_after_a_newer_file_event_changes_nothing()
    {
        // Typed "bibliography: extra.bib" before the file existed: a read made then (no file) lands after the
        // event that the file was created. The event's news is newer; the stale read must not mark it missing.
        var note = Snapshots.Next(ServerSnapshot.Initial, new Change.DocumentOpened(OpenDocument.Create(Uri, 1, "---\nbibliography: extra.bib\n---\nSee @a.\n", "markdown")));
        var created = Snapshots.Next(note, new Change.FilesChanged([new FileChange("/notes/extra.bib", FileChangeKind.Created, "@article{a, title={A}}\n")]));

        var stale = Snapshots.Next(created, new Change.LibrariesRead([new FileChange("/notes/extra.bib", FileChangeKind.Created, null)]));

        Assert.Same(created.Workspace.Library("/notes/extra.bib"), stale.Workspace.Library("/notes/extra.bib"));
        Assert.DoesNotContain("/notes/extra.bib", stale.Workspace.Libraries.Missing);
    }
}
