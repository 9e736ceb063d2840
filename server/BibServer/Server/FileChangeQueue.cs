using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using BibServer.Loading;
using Microsoft.Extensions.Logging;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

/// <summary>
/// Changes of files on disk, in the order they arrive: who watches (the client, asked to with the globs of
/// <see cref="FileWatching"/>, else our own watcher), and the queue that reads each batch
/// (<see cref="FileReading.ReadChangesAsync"/>) and applies it as one change.
/// </summary>
internal sealed class FileChangeQueue
{
    private readonly ServerHost _host;
    private readonly Channel<(IReadOnlyList<(string Path, FileChangeKind Kind)> Changes, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(IReadOnlyList<(string, FileChangeKind)>, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private WorkspaceFileWatcher? _watcher;
    private readonly ZoteroWatcher _zotero;

    public FileChangeQueue(ServerHost host)
    {
        _host = host;
        // A changed Zotero database comes in as a file change of the database alone: nothing else is read again.
        _zotero = new ZoteroWatcher(databases => _ = Enqueue([.. databases.Select(db => (db, FileChangeKind.Changed))]), host.Options.ZoteroSettleDelay, host.Logger);
        _ = Task.Run(ApplyAsync);
    }

    /// <summary>
    /// When the latest load began to read the workspace's libraries (or the server started, before any): a Zotero
    /// database first watched after it is compared with this moment (<see cref="ZoteroWatcher.Watch"/>). A load
    /// that reads ahead checks what was read ahead against its files' stamps when it takes it, after this is set.
    /// A database read later (a note names it) is compared with this earlier moment, which errs towards a read more.
    /// </summary>
    private long _readSinceTicks = DateTime.UtcNow.Ticks;

    /// <summary>Says that a load is about to read the workspace's libraries.</summary>
    public void ReadingLibraries() => Interlocked.Exchange(ref _readSinceTicks, DateTime.UtcNow.Ticks);

    /// <summary>Watches the Zotero databases the workspace reads or waits for (wherever they are), and no others.</summary>
    public void WatchZotero(ServerSnapshot snapshot)
    {
        if (_host.Phase != ServerPhase.Initialized) return;
        var libraries = snapshot.Workspace.Libraries;
        _zotero.Watch(libraries.Documents.Values.Where(d => d.Format is Core.Libraries.Zotero.ZoteroFormat).Select(d => d.Path)
            .Concat(libraries.Missing.Where(ZoteroFiles.IsZotero)), new DateTime(Interlocked.Read(ref _readSinceTicks), DateTimeKind.Utc));
    }

    /// <summary>
    /// The one way file changes on disk come in, from the client's watchers or from ours. The files are read
    /// (the server owns IO) and applied as one change, in the order the batches arrived; the task completes
    /// when the change is applied.
    /// </summary>
    public Task Enqueue(IReadOnlyList<(string Path, FileChangeKind Kind)> changes)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((changes, done))) done.TrySetResult();
        return _host.Pending.Track(done.Task);
    }

    /// <summary>The registration that asks the client to watch our globs, which the VS Code client takes as its watch list.</summary>
    public static LSP.DidChangeWatchedFilesRegistrationOptions RegistrationOptions() =>
        new([.. FileWatching.Globs.Select(glob => new LSP.FileSystemWatcher(glob))]);

    /// <summary>Asks the client to watch the workspace's files for us; if it cannot, watches them ourselves.</summary>
    public async Task WatchAsync()
    {
        if (_host.ClientCapabilities.Workspace?.DidChangeWatchedFiles?.DynamicRegistration == true)
        {
            try
            {
                var registration = new LSP.Registration("bibserver/watched-files", LSP.Methods.WorkspaceDidChangeWatchedFiles,
                    LSP.LspJson.ToElement(RegistrationOptions()));
                await _host.Client.RequestAsync<JsonElement?>(LSP.Methods.ClientRegisterCapability, new LSP.RegistrationParams([registration]));
                _host.Logger.LogDebug("The client watches {Globs} for us.", string.Join(" ", FileWatching.Globs));
                return;
            }
            catch (Exception e)
            {
                _host.Logger.LogWarning("The client would not watch files ({Message}), so the server watches them itself.", e.Message);
            }
        }
        WatchOurselves(_host.State.Current.Roots);
    }

    /// <summary>New workspace folders: our own watcher, if we run one, follows them (the client's follow by themselves).</summary>
    public void RootsChanged(ImmutableArray<string> roots)
    {
        bool watching;
        lock (_gate) watching = _watcher is not null;
        if (watching) WatchOurselves(roots);
    }

    private void WatchOurselves(ImmutableArray<string> roots)
    {
        if (_host.Phase != ServerPhase.Initialized) return;
        var watcher = new WorkspaceFileWatcher(roots, batch => _ = Enqueue(batch), _host.Options.FileEventsDelay, _host.Logger);
        lock (_gate) (_watcher, watcher) = (watcher, _watcher);
        watcher?.Dispose();
    }

    /// <summary>Stops watching and takes no more changes (shutdown, exit).</summary>
    public void Stop()
    {
        WorkspaceFileWatcher? watcher;
        lock (_gate) (watcher, _watcher) = (_watcher, null);
        watcher?.Dispose();
        _zotero.Dispose();
        _queue.Writer.TryComplete();
    }

    private async Task ApplyAsync()
    {
        await foreach (var (changes, done) in _queue.Reader.ReadAllAsync())
        {
            try
            {
                // A changed database is read with what the workspace and the editor narrow it to now.
                var current = _host.State.Current;
                var zotero = changes.Any(c => ZoteroFiles.IsZotero(c.Path)) ? ZoteroFiles.ScopesOf(current.Roots, current.Settings.Zotero) : null;
                var files = await FileReading.ReadChangesAsync(changes, _host.Logger, zotero);
                if (files.Length > 0 && _host.Phase is ServerPhase.Initialized)
                {
                    var snapshot = _host.Apply(new Change.FilesChanged(files));
                    _host.Logger.LogDebug("Files changed: {Files} (revision {Revision}).",
                        string.Join(", ", files.Select(file => $"{file.Kind.ToString().ToLowerInvariant()} {file.Path}")), snapshot.Revision);
                }
            }
            catch (Exception e)
            {
                _host.Logger.LogError(e, "Applying file changes failed.");
            }
            finally
            {
                done.TrySetResult();
            }
        }
    }
}
