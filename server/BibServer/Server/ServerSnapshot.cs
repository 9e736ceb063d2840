using System.Collections.Immutable;
using BibServer.Core.Workspace;
using BibServer.Documents;
using BibServer.Server.Logging;
using Microsoft.Extensions.Logging;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

/// <summary>
/// Everything a request needs to answer, frozen at one moment. A request takes the snapshot current when it
/// arrives and reads only that, so edits that come in while it runs never tear what it sees.
/// </summary>
internal sealed record ServerSnapshot
{
    public static ServerSnapshot Initial { get; } = new();

    /// <summary>Counts changes; each change makes the next revision.</summary>
    public int Revision { get; init; }

    public DocumentStore Documents { get; init; } = DocumentStore.Empty;

    public ServerSettings Settings { get; init; } = ServerSettings.Default;

    /// <summary>The workspace folders, as paths.</summary>
    public ImmutableArray<string> Roots { get; init; } = [];

    /// <summary>The LSP trace value last set by the client (initialize, $/setTrace or the trace setting).</summary>
    public string Trace { get; init; } = LSP.TraceValue.Off;

    /// <summary>The core's workspace: libraries, notes, everything the features read.</summary>
    public WorkspaceSnapshot Workspace { get; init; } = WorkspaceSnapshot.Empty;

    /// <summary>Where the workspace's libraries came from, for status and statistics.</summary>
    public string LibrarySource { get; init; } = "";

    /// <summary>
    /// Whether the workspace has been read from disk once. Before that every citation would look broken, so
    /// no diagnostics are published until it has (the load then publishes every open document).
    /// </summary>
    public bool WorkspaceLoaded { get; init; }

    /// <summary>Whether the notes on disk have been read once (just after the first load's libraries).</summary>
    public bool DiskNotesRead { get; init; }

    /// <summary>The level of the log sent to the client: the logLevel setting if given, else the trace value.</summary>
    public LogLevel ClientLogLevel => Settings.LogLevel ?? LogLevels.FromTrace(Trace);
}

internal static class Snapshots
{
    /// <summary>
    /// The one place where a change produces the next snapshot. Pure: reads nothing but its arguments (file
    /// contents arrive inside the change), so it can be tested with data and called under a lock. Each case
    /// also computes the next workspace snapshot of the core from the previous one (<see cref="WorkspaceChanges"/>).
    /// </summary>
    public static ServerSnapshot Next(ServerSnapshot snapshot, Change change)
    {
        var next = change switch
        {
            Change.Initialized c => snapshot with
            {
                Settings = c.Settings,
                Roots = c.Roots,
                Trace = c.Settings.Trace ?? c.Trace,
                Workspace = c.Paths is { } paths ? snapshot.Workspace.WithPaths(paths) : snapshot.Workspace,
            },
            Change.DocumentOpened c => snapshot with
            {
                Documents = snapshot.Documents.With(c.Document),
                Workspace = WorkspaceChanges.WithOpenDocument(snapshot.Workspace, c.Document),
            },
            Change.DocumentEdited c => snapshot.Documents.Get(c.Uri) is { } document
                ? Edited(snapshot, document.WithChanges(c.Version, c.Edits))
                : snapshot,
            Change.DocumentClosed c => snapshot with { Documents = snapshot.Documents.Without(c.Uri) },
            Change.SettingsChanged c => snapshot with { Settings = c.Settings, Trace = c.Settings.Trace ?? snapshot.Trace },
            Change.TraceChanged c => snapshot with { Trace = c.Trace },
            Change.RootsChanged c => snapshot with
            {
                Roots = c.Roots,
                Workspace = c.Paths is { } paths ? snapshot.Workspace.WithPaths(paths) : snapshot.Workspace,
            },
            Change.FilesChanged c => snapshot with { Workspace = WorkspaceChanges.WithFiles(snapshot.Workspace, c.Files, snapshot.Documents) },
            Change.LibrariesRead c => snapshot with { Workspace = WorkspaceChanges.WithFiles(snapshot.Workspace, c.Files, snapshot.Documents, fillInUnread: true) },
            Change.WorkspaceLoaded c => snapshot with
            {
                Workspace = WorkspaceChanges.Loaded(c.Workspace, snapshot.Documents, snapshot.Workspace),
                LibrarySource = c.Source,
                WorkspaceLoaded = true,
            },
            Change.NotesLoaded c => snapshot with { Workspace = WorkspaceChanges.WithDiskNotes(snapshot.Workspace, c.Notes, c.Libraries, snapshot.Documents, c.Times), DiskNotesRead = true },
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, "A change the snapshot does not know."),
        };
        return next with { Revision = snapshot.Revision + 1 };
    }

    private static ServerSnapshot Edited(ServerSnapshot snapshot, OpenDocument document) => snapshot with
    {
        Documents = snapshot.Documents.With(document),
        Workspace = WorkspaceChanges.WithOpenDocument(snapshot.Workspace, document, edited: true),
    };
}

/// <summary>
/// Holds the current snapshot and swaps in the next one atomically. Readers never wait; writers take turns,
/// so changes apply in the order they were handed in.
/// </summary>
internal sealed class ServerState(ServerSnapshot initial)
{
    private readonly Lock _writer = new();
    private ServerSnapshot _current = initial;
    /// <summary>Completes when the next snapshot is swapped in (and is replaced by a fresh one then).</summary>
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ServerSnapshot Current => Volatile.Read(ref _current);

    public (ServerSnapshot Before, ServerSnapshot After) Apply(Change change)
    {
        lock (_writer)
        {
            var before = _current;
            var after = Snapshots.Next(before, change);
            Volatile.Write(ref _current, after);
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return (before, after);
        }
    }

    /// <summary>
    /// The first snapshot, from the current one on, for which <paramref name="ready"/> holds; null when none came
    /// within <paramref name="timeout"/>. For requests whose answer needs work still running (the first load).
    /// </summary>
    public async Task<ServerSnapshot?> WaitUntilAsync(Func<ServerSnapshot, bool> ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (true)
        {
            // The signal is taken before the snapshot is looked at, so a swap in between is never missed.
            var changed = Volatile.Read(ref _changed).Task;
            var snapshot = Current;
            if (ready(snapshot)) return snapshot;
            var left = System.Diagnostics.Stopwatch.GetElapsedTime(System.Diagnostics.Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero) return null;
            try
            {
                await changed.WaitAsync(left, cancellationToken);
            }
            catch (TimeoutException)
            {
                return ready(Current) ? Current : null;
            }
        }
    }
}
