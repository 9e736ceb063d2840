using System.Diagnostics;
using BibServer.Loading;
using BibServer.Server.Logging;
using Microsoft.Extensions.Logging;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

/// <summary>
/// The session's lifecycle as the specification orders it: initialize, initialized, shutdown, exit, and the
/// watch on the client's process that ends a session whose client died without saying exit.
/// </summary>
internal sealed class SessionLifecycle(ServerHost host, ClientLoggerProvider clientLog)
{
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ServerPhase _phase = ServerPhase.Created;
    private Timer? _parentWatch;
    private int _started;

    public ServerPhase Phase => _phase;

    public LSP.InitializeParams? InitializeParams { get; private set; }

    /// <summary>Completes with the process exit code when exit arrives (0 after shutdown, 1 without).</summary>
    public Task<int> Exited => _exit.Task;

    /// <summary>What initialized started (file watching, reading libraries); tests await it.</summary>
    public Task Started { get; private set; } = Task.CompletedTask;

    public LSP.InitializeResult Initialize(LSP.InitializeParams request)
    {
        InitializeParams = request;
        host.Diagnostics.Configure(request.Capabilities);
        var logger = host.Logger;
        // The specification lets the server log while it handles initialize, so the client's log opens now.
        clientLog.Connect(message => host.Client.Notify(LSP.Methods.WindowLogMessage, message));
        var (settings, problems) = ServerSettings.Parse(request.InitializationOptions);
        var roots = WorkspaceRoots.Of([.. request.WorkspaceFolders?.Select(folder => folder.Uri) ?? []], request.RootUri, request.RootPath);
        var snapshot = host.Apply(new Change.Initialized(settings, roots, request.Trace ?? LSP.TraceValue.Off, WorkspaceRoots.PathContext(roots)));
        foreach (var problem in problems) logger.LogWarning("{Problem}", problem);
        logger.LogInformation("BibServer {Version} started for {Client}, workspace {Roots}.",
            ServerHost.Version, request.ClientInfo?.Name ?? "an unnamed client", snapshot.Roots.IsEmpty ? "(none)" : string.Join(", ", snapshot.Roots));
        if (request.ProcessId is { } processId && host.Options.ParentProcessPollInterval > TimeSpan.Zero) WatchParentProcess(processId);
        host.Loads.StartReadingAhead(snapshot);
        _phase = ServerPhase.Initialized;
        return new LSP.InitializeResult(host.Router.Capabilities(request.Capabilities), new LSP.ServerInfo("bibserver", ServerHost.Version));
    }

    public void Initialized()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            host.Logger.LogWarning("The client sent initialized twice; the second was ignored.");
            return;
        }
        Started = Task.WhenAll(Task.Run(host.FileChanges.WatchAsync), host.Pending.Track(Task.Run(host.Loads.LoadAsync)));
    }

    public void Shutdown()
    {
        _phase = ServerPhase.ShutDown;
        host.Diagnostics.Stop();
        host.FileChanges.Stop();
        host.Styles.Stop();
        host.Logger.LogInformation("Shutting down.");
    }

    /// <summary>Ends the session: exit code 0 if shutdown came first, as the specification asks, else 1.</summary>
    public void Exit(string reason)
    {
        var code = _phase == ServerPhase.ShutDown ? 0 : 1;
        _phase = ServerPhase.Exited;
        if (_exit.TrySetResult(code)) host.Logger.LogDebug("Exiting with code {Code}: {Reason}.", code, reason);
        _parentWatch?.Dispose();
        host.FileChanges.Stop();
        host.Diagnostics.Stop();
        host.Styles.Stop();
        clientLog.Disconnect();
    }

    private void WatchParentProcess(int processId)
    {
        // The client may die without saying exit (a crash, a kill); a server left behind would live forever.
        _parentWatch = new Timer(_ =>
        {
            if (IsAlive(processId)) return;
            host.Logger.LogWarning("The client process {ProcessId} is gone, so the server exits.", processId);
            Exit("the client process is gone");
        }, null, host.Options.ParentProcessPollInterval, host.Options.ParentProcessPollInterval);
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
