using System.Collections.Immutable;
using BibServer.Loading;
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
/// client, logging, and the session's parts, each in a file of its own: its lifecycle
/// (<see cref="SessionLifecycle"/>), what each change sets off (<see cref="ChangeEffects"/>, the one place a
/// change is applied), loading the workspace (<see cref="WorkspaceLoads"/>) and the queue of file changes
/// (<see cref="FileChangeQueue"/>). This class only holds them together.
/// </summary>
internal sealed class ServerHost
{
    public ServerHost(LspServerOptions options, ClientConnection client, ILoggerFactory loggerFactory, ClientLoggerProvider clientLog)
    {
        Options = options;
        Client = client;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger("BibServer.Server");
        State = new ServerState(ServerSnapshot.Initial);
        Styles = new StyleService(loggerFactory.CreateLogger("BibServer.Styles"), Requests, runtime: options.CitationEngine);
        Diagnostics = new DiagnosticsPublisher(State, client, Styles.WithStyleProblems(options.Diagnostics), options.DiagnosticsDelay, loggerFactory.CreateLogger("BibServer.Diagnostics"))
        {
            TypingPause = options.TypingPause,
            Activity = Requests,
        };
        // The citation engine loads after a note's first diagnostics are sent, never before (start-up).
        Diagnostics.Published = (snapshot, document) => Styles.PrepareAsync(snapshot, document);
        LibraryDiagnostics = new LibraryDiagnostics();
        Router = new LspRouter(this);
        Lifecycle = new SessionLifecycle(this, clientLog);
        Effects = new ChangeEffects(this, clientLog);
        Loads = new WorkspaceLoads(this);
        FileChanges = new FileChangeQueue(this);
    }

    public LspServerOptions Options { get; }

    public ServerState State { get; }

    public ClientConnection Client { get; }

    public DiagnosticsPublisher Diagnostics { get; }

    /// <summary>What the client shows for library files that are not open.</summary>
    public LibraryDiagnostics LibraryDiagnostics { get; }

    public LspRouter Router { get; }

    /// <summary>Citation styles and the engine that renders them (loaded lazily).</summary>
    public StyleService Styles { get; }

    public SessionLifecycle Lifecycle { get; }

    public ChangeEffects Effects { get; }

    public WorkspaceLoads Loads { get; }

    public FileChangeQueue FileChanges { get; }

    /// <summary>The requests being answered now; background work that can wait runs when there is none.</summary>
    public RequestActivity Requests { get; } = new();

    /// <summary>The work notifications started that requests wait for (<see cref="PendingWork"/>, <see cref="RequestOrdering"/>).</summary>
    public PendingWork Pending { get; } = new();

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Logger { get; }

    public ServerPhase Phase => Lifecycle.Phase;

    public LSP.ClientCapabilities ClientCapabilities => Lifecycle.InitializeParams?.Capabilities ?? new();

    /// <summary>Completes with the process exit code when exit arrives (0 after shutdown, 1 without).</summary>
    public Task<int> Exited => Lifecycle.Exited;

    /// <summary>What initialized started (file watching, reading libraries); tests await it.</summary>
    public Task Started => Lifecycle.Started;

    /// <summary>Applies a change and starts what follows from it (<see cref="ChangeEffects.Apply"/>).</summary>
    public ServerSnapshot Apply(Change change) => Effects.Apply(change);

    /// <summary>File changes on disk, from the client's watchers or ours (<see cref="FileChangeQueue.Enqueue"/>).</summary>
    public Task OnFilesChanged(IReadOnlyList<(string Path, FileChangeKind Kind)> changes) => FileChanges.Enqueue(changes);

    /// <summary>Ends the session (<see cref="SessionLifecycle.Exit"/>).</summary>
    public void Exit(string reason) => Lifecycle.Exit(reason);

    /// <summary>Starts work-done progress in the client, or a silent stand-in if the client cannot show it.</summary>
    public Task<WorkDoneProgress> BeginProgressAsync(string title, string? message = null, CancellationToken cancellationToken = default) =>
        WorkDoneProgress.BeginAsync(Client, ClientCapabilities, title, message, Logger, cancellationToken);

    public static string Version { get; } = typeof(ServerHost).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
