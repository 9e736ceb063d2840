using BibServer.Server.Documents;
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
}
