using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using BibServer.Server.Documents;
using BibServer.Server.Logging;
using Microsoft.Extensions.Logging;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

internal enum ServerPhase
{
    /// <summary>Waiting for initialize.</summary>
    Created,
    /// <summary>Serving requests.</summary>
    Initialized,
    /// <summary>shutdown arrived: only exit is served.</summary>
    ShutDown,
    /// <summary>exit arrived.</summary>
    Exited,
}

/// <summary>
/// The long-lived part of the server that handlers see: the state with its snapshots, the connection to the
/// client, the diagnostics publisher, logging, and the session's lifecycle. Every change to the state goes
/// through <see cref="Apply"/>, which also starts what follows from it (diagnostics, the log level, reloading
/// libraries), so handlers stay thin.
/// </summary>
internal sealed class ServerHost
{
    private readonly ClientLoggerProvider _clientLog;
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<(IReadOnlyList<(string Path, FileChangeKind Kind)> Changes, TaskCompletionSource Done)> _fileChanges =
        Channel.CreateUnbounded<(IReadOnlyList<(string, FileChangeKind)>, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private volatile ServerPhase _phase = ServerPhase.Created;
    private WorkspaceFileWatcher? _watcher;
    private Timer? _parentWatch;
    private int _started;

    public ServerHost(LspServerOptions options, ClientConnection client, ILoggerFactory loggerFactory, ClientLoggerProvider clientLog)
    {
        Options = options;
        Client = client;
        LoggerFactory = loggerFactory;
        _clientLog = clientLog;
        Logger = loggerFactory.CreateLogger("BibServer.Server");
        State = new ServerState(ServerSnapshot.Initial);
        Diagnostics = new DiagnosticsPublisher(State, client, options.Diagnostics, options.DiagnosticsDelay, loggerFactory.CreateLogger("BibServer.Diagnostics"));
        Router = new LspRouter(this);
        LibraryDiagnostics = new LibraryDiagnostics();
        _ = Task.Run(ApplyFileChangesAsync);
    }

    public LspServerOptions Options { get; }

    public ServerState State { get; }

    public ClientConnection Client { get; }

    public DiagnosticsPublisher Diagnostics { get; }

    /// <summary>What the client shows for library files that are not open.</summary>
    public LibraryDiagnostics LibraryDiagnostics { get; }

    public LspRouter Router { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Logger { get; }

    public ServerPhase Phase => _phase;

    public LSP.InitializeParams? InitializeParams { get; private set; }

    public LSP.ClientCapabilities ClientCapabilities => InitializeParams?.Capabilities ?? new();

    /// <summary>Completes with the process exit code when exit arrives (0 after shutdown, 1 without).</summary>
    public Task<int> Exited => _exit.Task;

    /// <summary>What initialized started (file watching, reading libraries); tests await it.</summary>
    public Task Started { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Applies a change: the next snapshot is computed (in <see cref="Snapshots.Next"/>) and swapped in, then
    /// the work that follows from the change is started.
    /// </summary>
    public ServerSnapshot Apply(Change change)
    {
        var arrived = Stopwatch.GetTimestamp();
        var (before, after) = State.Apply(change);
        // Read back rather than taken from "after": changes from two threads must leave the newest level.
        _clientLog.Level.Level = State.Current.ClientLogLevel;
        switch (change)
        {
            case Change.DocumentOpened opened:
                Diagnostics.Schedule(opened.Document.Uri, immediate: true);
                ReadNamedLibraries(after, opened.Document);
                // An opened library whose buffer differs from the disk changes what every open note sees.
                if (!ReferenceEquals(before.Workspace.Libraries, after.Workspace.Libraries)) AfterWorkspaceChange(before, after);
                break;
            case Change.DocumentEdited edited:
                Diagnostics.Schedule(edited.Uri, changedAt: arrived);
                if (after.Documents.Get(edited.Uri) is { } document)
                {
                    // The edited note is parsed in the background, during the diagnostics' delay: requests that
                    // need only its text (completion while typing) are answered without waiting for the parse.
                    // It starts half the delay after the edit: the completion an editor asks with a keystroke
                    // comes right after it, and on two cores a parse begun at once slowed it by a fifth
                    // (docs/benchmarks.md); the diagnostics, due at the end of the delay, still find it parsed.
                    var path = WorkspaceChanges.PathOf(document);
                    if (after.Workspace.Note(path) is { IsParsed: false } note)
                    {
                        // Skipped when a newer keystroke has replaced this version meanwhile: it parses its own.
                        _ = Task.Delay(Options.DiagnosticsDelay / 2).ContinueWith(_ =>
                        {
                            if (ReferenceEquals(State.Current.Workspace.Note(path), note)) note.EnsureParsed();
                        }, TaskScheduler.Default);
                    }
                    ReadNamedLibraries(after, document);
                    if (!ReferenceEquals(before.Workspace.Libraries, after.Workspace.Libraries))
                    {
                        // Typing in a library: every open note's citations are checked again, after the same delay.
                        LibrariesChanged(after);
                        Diagnostics.ScheduleAll();
                    }
                }
                break;
            case Change.DocumentClosed closed:
                Diagnostics.Clear(closed.Uri);
                // The buffer's unsaved text goes; what is on disk is the note or library again.
                if (DocumentUris.ToPath(closed.Uri) is { } closedPath) _ = OnFilesChanged([(closedPath, FileChangeKind.Changed)]);
                break;
            case Change.SettingsChanged:
                if (!before.Settings.LibrariesEqual(after.Settings) && Phase == ServerPhase.Initialized) _ = LoadWorkspaceAsync();
                Diagnostics.ScheduleAll();
                break;
            case Change.RootsChanged:
                if (_watcher is not null) WatchRootsOurselves(after.Roots);
                if (Phase == ServerPhase.Initialized) _ = LoadWorkspaceAsync();
                Diagnostics.ScheduleAll();
                break;
            case Change.FilesChanged files:
                if (NeedsReload(files.Files)) _ = LoadWorkspaceAsync();
                AfterWorkspaceChange(before, after);
                break;
            case Change.LibrariesRead:
                AfterWorkspaceChange(before, after);
                break;
            case Change.NotesLoaded:
                if (!ReferenceEquals(before.Workspace.Libraries, after.Workspace.Libraries)) AfterWorkspaceChange(before, after);
                else Diagnostics.DiskNotesChanged();
                break;
            case Change.WorkspaceLoaded:
                AfterWorkspaceChange(before, after);
                // The load read what the buffers named when it started; a bibliography typed since is read now.
                foreach (var open in after.Documents.All) ReadNamedLibraries(after, open);
                break;
        }
        return after;
    }

    /// <summary>
    /// The one way file changes on disk come in, from the client's watchers or from ours. The files are read
    /// here (the server owns IO) and applied as one change, in the order the batches arrived; the task
    /// completes when the change is applied.
    /// </summary>
    public Task OnFilesChanged(IReadOnlyList<(string Path, FileChangeKind Kind)> changes)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_fileChanges.Writer.TryWrite((changes, done))) done.TrySetResult();
        return done.Task;
    }

    /// <summary>Starts work-done progress in the client, or a silent stand-in if the client cannot show it.</summary>
    public Task<WorkDoneProgress> BeginProgressAsync(string title, string? message = null, CancellationToken cancellationToken = default) =>
        WorkDoneProgress.BeginAsync(Client, ClientCapabilities, title, message, Logger, cancellationToken);

    internal LSP.InitializeResult Initialize(LSP.InitializeParams request)
    {
        InitializeParams = request;
        Handlers.PullDiagnosticsHandler.Configure(this, request.Capabilities);
        // The specification lets the server log while it handles initialize, so the client's log opens now.
        _clientLog.Connect(message => Client.Notify(LSP.Methods.WindowLogMessage, message));
        var (settings, problems) = ServerSettings.Parse(request.InitializationOptions);
        var snapshot = Apply(new Change.Initialized(settings, Roots(request), request.Trace ?? LSP.TraceValue.Off));
        foreach (var problem in problems) Logger.LogWarning("{Problem}", problem);
        Logger.LogInformation("BibServer {Version} started for {Client}, workspace {Roots}.",
            Version, request.ClientInfo?.Name ?? "an unnamed client", snapshot.Roots.IsEmpty ? "(none)" : string.Join(", ", snapshot.Roots));
        if (request.ProcessId is { } processId && Options.ParentProcessPollInterval > TimeSpan.Zero) WatchParentProcess(processId);
        // Begun when the message was first read off standard input (LspCommand), if it came that way.
        _prefetch = Options.ReadAhead?.Invoke() is { } early && early.IsFor(snapshot.Roots, snapshot.Settings.Libraries)
            ? early
            : new Loading.LibraryPrefetch(snapshot.Roots, snapshot.Settings.Libraries, Logger);
        Options.ReadAheadLog?.Target = Logger;
        _phase = ServerPhase.Initialized;
        return new LSP.InitializeResult(Router.Capabilities(request.Capabilities), new LSP.ServerInfo("bibserver", Version));
    }

    internal void Initialized()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            Logger.LogWarning("The client sent initialized twice; the second was ignored.");
            return;
        }
        Started = Task.WhenAll(Task.Run(WatchFilesAsync), Task.Run(LoadWorkspaceAsync));
    }

    internal void Shutdown()
    {
        _phase = ServerPhase.ShutDown;
        Diagnostics.Stop();
        _watcher?.Dispose();
        _watcher = null;
        _fileChanges.Writer.TryComplete();
        Logger.LogInformation("Shutting down.");
    }

    /// <summary>Ends the session: exit code 0 if shutdown came first, as the specification asks, else 1.</summary>
    internal void Exit(string reason)
    {
        var code = _phase == ServerPhase.ShutDown ? 0 : 1;
        _phase = ServerPhase.Exited;
        if (_exit.TrySetResult(code)) Logger.LogDebug("Exiting with code {Code}: {Reason}.", code, reason);
        _parentWatch?.Dispose();
        _watcher?.Dispose();
        _fileChanges.Writer.TryComplete();
        Diagnostics.Stop();
        _clientLog.Disconnect();
    }

    /// <summary>Asks the client for the settings (pull model), for clients that send didChangeConfiguration without them.</summary>
    internal async Task PullSettingsAsync()
    {
        try
        {
            var items = await Client.RequestAsync<JsonElement?[]>(LSP.Methods.WorkspaceConfiguration,
                new LSP.ConfigurationParams([new LSP.ConfigurationItem(Section: "bibserver")]));
            ApplySettings(items is [var first, ..] ? first : null);
        }
        catch (Exception e)
        {
            Logger.LogWarning("Could not ask the client for settings: {Message}", e.Message);
        }
    }

    internal void ApplySettings(JsonElement? json)
    {
        var (settings, problems) = ServerSettings.Parse(json);
        foreach (var problem in problems) Logger.LogWarning("{Problem}", problem);
        Apply(new Change.SettingsChanged(settings));
        Logger.LogDebug("Settings changed: {Count} libraries, log level {Level}.", settings.Libraries.Length, State.Current.ClientLogLevel);
    }

    public static string Version { get; } = typeof(ServerHost).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static ImmutableArray<string> Roots(LSP.InitializeParams request) =>
        Roots([.. request.WorkspaceFolders?.Select(folder => folder.Uri) ?? []], request.RootUri, request.RootPath);

    /// <summary>The workspace's folders as initialize gives them: its workspace folders, else its root URI, else its root path.</summary>
    internal static ImmutableArray<string> Roots(ImmutableArray<string> folderUris, string? rootUri, string? rootPath)
    {
        if (!folderUris.IsEmpty) return [.. folderUris.Select(DocumentUris.ToPath).OfType<string>()];
        if (rootUri is not null && DocumentUris.ToPath(rootUri) is { } root) return [root];
        return rootPath is { Length: > 0 } ? [rootPath] : [];
    }

    private async Task WatchFilesAsync()
    {
        if (ClientCapabilities.Workspace?.DidChangeWatchedFiles?.DynamicRegistration == true)
        {
            try
            {
                var registration = new LSP.Registration("bibserver/watched-files", LSP.Methods.WorkspaceDidChangeWatchedFiles,
                    LSP.LspJson.ToElement(FileWatching.RegistrationOptions()));
                await Client.RequestAsync<JsonElement?>(LSP.Methods.ClientRegisterCapability, new LSP.RegistrationParams([registration]));
                Logger.LogDebug("The client watches {Globs} for us.", string.Join(" ", FileWatching.Globs));
                return;
            }
            catch (Exception e)
            {
                Logger.LogWarning("The client would not watch files ({Message}), so the server watches them itself.", e.Message);
            }
        }
        WatchRootsOurselves(State.Current.Roots);
    }

    private void WatchRootsOurselves(ImmutableArray<string> roots)
    {
        if (Phase != ServerPhase.Initialized) return;
        _watcher?.Dispose();
        _watcher = new WorkspaceFileWatcher(roots, batch => _ = OnFilesChanged(batch), Options.FileEventsDelay, Logger);
    }

    private int _loads;

    /// <summary>The libraries read ahead from initialize on, for the first load if the settings it was begun with still hold.</summary>
    private Loading.LibraryPrefetch? _prefetch;

    /// <summary>What the first load takes of the libraries read ahead; later loads, and a load for other roots or settings, read the disk.</summary>
    private Func<ImmutableArray<string>, Core.Workspace.LibraryState?>? ReadAhead(ServerSnapshot snapshot)
    {
        Loading.LibraryPrefetch? prefetch;
        lock (_fileChanges) (prefetch, _prefetch) = (_prefetch, null);
        return prefetch is not null && prefetch.IsFor(snapshot.Roots, snapshot.Settings.Libraries) ? prefetch.Take : null;
    }

    /// <summary>Loads under way: a library read meanwhile (a note's bibliography) is not the end of indexing.</summary>
    private int _loadsRunning;

    /// <summary>
    /// Reads the workspace from disk: its libraries (bibserver.yaml, else the settings, else discovery) and its
    /// notes, with progress shown while it runs. Loads that overlap coalesce: only the newest is applied.
    /// </summary>
    internal async Task LoadWorkspaceAsync()
    {
        var load = Interlocked.Increment(ref _loads);
        Interlocked.Increment(ref _loadsRunning);
        var running = true;
        // Counted off before the result is applied, so that the status sent with it says indexing is over.
        void Ran()
        {
            if (running) Interlocked.Decrement(ref _loadsRunning);
            running = false;
        }
        try
        {
            var snapshot = State.Current;
            SendStatus(snapshot, indexing: true);
            // The reading starts at once; the client's answer to the progress token comes while it runs, and
            // a report made before it is shown when it comes.
            var begun = BeginProgressAsync("Indexing libraries", "Finding the workspace's libraries");
            var reports = new LateProgress();
            var ahead = ReadAhead(snapshot);
            var loading = Task.Run(() =>
            {
                var (loaded, from, notePaths) = Loading.WorkspaceLoading.LoadLibraries(snapshot.Roots, snapshot.Settings.Libraries, reports.Report, Logger, ahead: ahead);
                // The disk's notes name their libraries; so do open buffers, whose unsaved bibliography lines the
                // disk does not know. Without them a reload would drop those libraries until the next keystroke.
                return (Loading.WorkspaceLoader.EnsureBibliographies(loaded, OpenNotes(State.Current), Loading.WorkspaceLoader.ReadFile), from, notePaths);
            });
            await using var progress = await begun;
            reports.Attach(progress);
            var (workspace, source, notes) = await loading;
            Ran();
            if (load != Volatile.Read(ref _loads) || Phase != ServerPhase.Initialized) return;
            // A note opened while the libraries were read names libraries the load has not read: read them now
            // (small files, usually none), so that its first diagnostics do not call its bibliography missing.
            workspace = Loading.WorkspaceLoader.EnsureBibliographies(workspace, OpenNotes(State.Current), Loading.WorkspaceLoader.ReadFile);
            var after = Apply(new Change.WorkspaceLoaded(workspace, source));
            var libs = after.Workspace.Libraries;
            progress.End($"{libs.Workspace.Papers.Length} papers in {libs.WorkspaceLibraries.Length} libraries");
            Logger.LogDebug("Read {Papers} papers in {Libraries} libraries ({Source}); reading the notes.",
                libs.Workspace.Papers.Length, libs.WorkspaceLibraries.Length, source);

            // The notes on disk (for references and code lens across the workspace) come second: the open
            // notes' diagnostics, which need only the libraries, are not kept waiting for them.
            var loaded = await Task.Run(() => ReadDiskNotes(after.Workspace, notes));
            if (load != Volatile.Read(ref _loads) || Phase != ServerPhase.Initialized) return;
            after = Apply(loaded);
            libs = after.Workspace.Libraries;
            Logger.LogInformation("Indexed {Papers} papers in {Libraries} libraries ({Source}) and {Notes} notes.",
                libs.Workspace.Papers.Length, libs.WorkspaceLibraries.Length, source, after.Workspace.Notes.Count);
        }
        catch (Exception e)
        {
            Ran();
            Logger.LogError(e, "Reading the workspace failed.");
            // Diagnostics wait for the first load; after a failed one they show what the open buffers alone say.
            if (!State.Current.WorkspaceLoaded && Phase == ServerPhase.Initialized)
                Apply(new Change.WorkspaceLoaded(Core.Workspace.WorkspaceSnapshot.Empty, "Failed"));
            SendStatus(State.Current, indexing: false);
        }
        finally
        {
            Ran();
        }
    }

    /// <summary>The open notes' parsed buffers, whose bibliography lines may be unsaved.</summary>
    private static IEnumerable<Core.Notes.NoteDocument> OpenNotes(ServerSnapshot snapshot) =>
        snapshot.Documents.All.Select(document => snapshot.Workspace.Note(WorkspaceChanges.PathOf(document))).OfType<Core.Notes.NoteDocument>();

    /// <summary>The notes on disk, parsed, and the library files they name that the workspace has not read.</summary>
    private Change.NotesLoaded ReadDiskNotes(Core.Workspace.WorkspaceSnapshot workspace, ImmutableArray<string> paths)
    {
        var clock = Stopwatch.StartNew();
        var notes = paths
            .Select(path => Loading.WorkspaceLoader.ReadFile(path) is { } text ? Core.Notes.NoteParser.Parse(path, text) : null)
            .OfType<Core.Notes.NoteDocument>()
            .ToImmutableArray();
        var libraries = notes.SelectMany(n => Core.Workspace.WorkspaceSnapshot.BibliographyPaths(n))
            .Distinct(StringComparer.Ordinal)
            .Where(p => workspace.Libraries.Document(p) is null && !workspace.Libraries.Missing.Contains(p))
            .Select(p => new FileChange(p, FileChangeKind.Created, Loading.WorkspaceLoader.ReadFile(p)))
            .ToImmutableArray();
        Logger.LogDebug("Parsed {Notes} notes on disk in {Milliseconds} ms.", notes.Length, clock.ElapsedMilliseconds);
        return new Change.NotesLoaded(notes, libraries);
    }

    /// <summary>Whether a file event may change which files are the workspace's libraries, not only their text.</summary>
    private static bool NeedsReload(ImmutableArray<FileChange> files)
    {
        foreach (var f in files)
        {
            if (Path.GetFileName(f.Path) == Core.Workspace.WorkspaceConfig.FileName) return true;
            if (f.Kind == FileChangeKind.Changed || WorkspaceChanges.IsNote(f.Path)) continue;
            // A library-like file came or went: a glob or discovery may now find more or fewer libraries.
            if (Core.Libraries.LibraryReader.FormatOf(f.Path) != Core.Libraries.LibraryFormat.PaperList
                || f.Path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>
    /// Reads the libraries a note names in <c>bibliography:</c> that the workspace has not read yet. On a
    /// keystroke this is a lookup that finds nothing to do: a library is read once, when first named.
    /// </summary>
    /// <summary>Starts reading the libraries a note names that are not read yet; false when there are none.</summary>
    private bool ReadNamedLibraries(ServerSnapshot snapshot, OpenDocument document)
    {
        if (snapshot.Workspace.Note(WorkspaceChanges.PathOf(document)) is not { } note) return false;
        var libs = snapshot.Workspace.Libraries;
        var wanted = Core.Workspace.WorkspaceSnapshot.BibliographyPaths(note)
            .Where(p => libs.Document(p) is null && !libs.Missing.Contains(p)).ToList();
        if (wanted.Count == 0) return false;
        _ = Task.Run(() =>
        {
            var files = wanted.Select(p => new FileChange(p, FileChangeKind.Created, Loading.WorkspaceLoader.ReadFile(p))).ToImmutableArray();
            Apply(new Change.LibrariesRead(files));
        });
        return true;
    }

    private void AfterWorkspaceChange(ServerSnapshot before, ServerSnapshot after)
    {
        if (!ReferenceEquals(before.Workspace.Libraries, after.Workspace.Libraries)) LibrariesChanged(after);
        Diagnostics.ScheduleAll(immediate: true);
    }

    private void LibrariesChanged(ServerSnapshot after)
    {
        LibraryDiagnostics.Publish(this, after);
        // The snapshot itself says whether its workspace has been read: a note's bibliography read just before
        // the first load is applied must not announce a finished index of 0 papers.
        SendStatus(after, indexing: !after.WorkspaceLoaded || Volatile.Read(ref _loadsRunning) > 0);
    }

    /// <summary>Tells the client how many papers and problems there are (its status bar shows them).</summary>
    internal void SendStatus(ServerSnapshot snapshot, bool indexing)
    {
        var stats = LibraryStatistics.Of(snapshot);
        Client.Notify("bibserver/status", new LSP.BibServerStatus(stats.Papers, stats.Problems, indexing, stats.Libraries.Length));
    }

    private async Task ApplyFileChangesAsync()
    {
        await foreach (var (changes, done) in _fileChanges.Reader.ReadAllAsync())
        {
            try
            {
                var files = await ReadFilesAsync(changes);
                if (files.Length > 0 && Phase is ServerPhase.Initialized)
                {
                    var snapshot = Apply(new Change.FilesChanged(files));
                    Logger.LogDebug("Files changed: {Files} (revision {Revision}).",
                        string.Join(", ", files.Select(file => $"{file.Kind.ToString().ToLowerInvariant()} {file.Path}")), snapshot.Revision);
                }
            }
            catch (Exception e)
            {
                Logger.LogError(e, "Applying file changes failed.");
            }
            finally
            {
                done.TrySetResult();
            }
        }
    }

    /// <summary>Files larger than this are not read: no library or note is that big, and a stray dump would stall us.</summary>
    private const long MaxFileSize = 64L * 1024 * 1024;

    private async Task<ImmutableArray<FileChange>> ReadFilesAsync(IReadOnlyList<(string Path, FileChangeKind Kind)> changes)
    {
        var latest = new Dictionary<string, FileChangeKind>(StringComparer.Ordinal);
        foreach (var (path, kind) in changes)
        {
            if (!FileWatching.IsIgnored(path)) latest[Path.GetFullPath(path)] = kind;
        }
        var files = ImmutableArray.CreateBuilder<FileChange>(latest.Count);
        foreach (var (path, kind) in latest)
        {
            string? text = null;
            if (kind != FileChangeKind.Deleted)
            {
                try
                {
                    var info = new FileInfo(path);
                    if (!info.Exists) { files.Add(new FileChange(path, FileChangeKind.Deleted)); continue; }
                    if (info.Length <= MaxFileSize) text = await Task.Run(() => Loading.WorkspaceLoader.ReadText(path));
                    else Logger.LogWarning("{Path} is larger than {Size} MB, so it was not read.", path, MaxFileSize >> 20);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Logger.LogWarning("Could not read {Path}: {Message}", path, e.Message);
                }
            }
            files.Add(new FileChange(path, kind, text));
        }
        return files.ToImmutable();
    }

    private void WatchParentProcess(int processId)
    {
        // The client may die without saying exit (a crash, a kill); a server left behind would live forever.
        _parentWatch = new Timer(_ =>
        {
            if (IsAlive(processId)) return;
            Logger.LogWarning("The client process {ProcessId} is gone, so the server exits.", processId);
            Exit("the client process is gone");
        }, null, Options.ParentProcessPollInterval, Options.ParentProcessPollInterval);
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
