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
        _ = Task.Run(ApplyFileChangesAsync);
    }

    public LspServerOptions Options { get; }

    public ServerState State { get; }

    public ClientConnection Client { get; }

    public DiagnosticsPublisher Diagnostics { get; }

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
        var (before, after) = State.Apply(change);
        // Read back rather than taken from "after": changes from two threads must leave the newest level.
        _clientLog.Level.Level = State.Current.ClientLogLevel;
        switch (change)
        {
            case Change.DocumentOpened opened:
                Diagnostics.Schedule(opened.Document.Uri, immediate: true);
                break;
            case Change.DocumentEdited edited:
                Diagnostics.Schedule(edited.Uri);
                break;
            case Change.DocumentClosed closed:
                Diagnostics.Clear(closed.Uri);
                break;
            case Change.SettingsChanged:
                if (!before.Settings.LibrariesEqual(after.Settings) && Phase == ServerPhase.Initialized) _ = LoadLibrariesAsync();
                Diagnostics.ScheduleAll();
                break;
            case Change.RootsChanged:
                if (_watcher is not null) WatchRootsOurselves(after.Roots);
                Diagnostics.ScheduleAll();
                break;
            case Change.FilesChanged:
                Diagnostics.ScheduleAll();
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
        // The specification lets the server log while it handles initialize, so the client's log opens now.
        _clientLog.Connect(message => Client.Notify(LSP.Methods.WindowLogMessage, message));
        var (settings, problems) = ServerSettings.Parse(request.InitializationOptions);
        var snapshot = Apply(new Change.Initialized(settings, Roots(request), request.Trace ?? LSP.TraceValue.Off));
        foreach (var problem in problems) Logger.LogWarning("{Problem}", problem);
        Logger.LogInformation("BibServer {Version} started for {Client}, workspace {Roots}.",
            Version, request.ClientInfo?.Name ?? "an unnamed client", snapshot.Roots.IsEmpty ? "(none)" : string.Join(", ", snapshot.Roots));
        if (request.ProcessId is { } processId && Options.ParentProcessPollInterval > TimeSpan.Zero) WatchParentProcess(processId);
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
        Started = Task.WhenAll(Task.Run(WatchFilesAsync), Task.Run(LoadLibrariesAsync));
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

    private static ImmutableArray<string> Roots(LSP.InitializeParams request)
    {
        if (request.WorkspaceFolders is { Count: > 0 } folders)
        {
            return [.. folders.Select(folder => DocumentUris.ToPath(folder.Uri)).OfType<string>()];
        }
        if (request.RootUri is { } rootUri && DocumentUris.ToPath(rootUri) is { } root) return [root];
        return request.RootPath is { Length: > 0 } rootPath ? [rootPath] : [];
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

    private async Task LoadLibrariesAsync()
    {
        var settings = State.Current.Settings;
        if (settings.Libraries.IsEmpty) return;
        try
        {
            await using var progress = await BeginProgressAsync("Indexing libraries", string.Join(", ", settings.Libraries));
            var files = LibraryFiles.Find(settings.Libraries, State.Current.Roots);
            progress.Report($"Reading {files.Length} files", 10);
            await OnFilesChanged([.. files.Select(file => (file, FileChangeKind.Created))]);
            progress.End($"Read {files.Length} library files.");
            Logger.LogInformation("Read {Count} library files for {Libraries}.", files.Length, string.Join(", ", settings.Libraries));
        }
        catch (Exception e)
        {
            Logger.LogError(e, "Reading the libraries failed.");
        }
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
                    if (info.Length <= MaxFileSize) text = await File.ReadAllTextAsync(path);
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
