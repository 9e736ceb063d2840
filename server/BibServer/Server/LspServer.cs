using BibServer.Handlers;
using BibServer.Server.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.Threading;
using StreamJsonRpc;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

/// <summary>Knobs of a server instance; the defaults are what `bibserver lsp` runs with.</summary>
internal sealed record LspServerOptions
{
    /// <summary>The diagnostics of an open document; null publishes none.</summary>
    public DiagnosticsProvider? Diagnostics { get; init; } = DocumentDiagnostics.Provider;

    /// <summary>
    /// How long after the last edit of a document its diagnostics are computed (counted from the edit's
    /// arrival). It lets a burst of keystrokes (a held key, a paste in pieces) be checked once. Checking is
    /// cheap once the note is parsed (a few milliseconds for 2,000 citations against 100,000 papers), so the
    /// wait is kept short: 25 ms, which with the parse of a 5,000-line note keeps a keystroke's diagnostics
    /// within about 50 ms (docs/benchmarks.md).
    /// </summary>
    public TimeSpan DiagnosticsDelay { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// How long a request waits at most for the work notifications before it started (a load, a library being
    /// read, file changes); past it the request is answered with what is there (<see cref="RequestOrdering"/>).
    /// </summary>
    public TimeSpan RequestWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long after the last keystroke a citation key being typed gets its unknown-key error
    /// (<see cref="TypingHold"/>): about the pause of a writer who stopped typing.
    /// </summary>
    public TimeSpan TypingPause { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long our own file watcher gathers events into one batch.</summary>
    public TimeSpan FileEventsDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the client's process (initialize's processId) is checked; zero turns the check off.</summary>
    public TimeSpan ParentProcessPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The level of the standard-error log, which is for people debugging the server itself.</summary>
    public LogLevel StderrLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Where the standard-error log goes; Console.Error when null.</summary>
    public TextWriter? Stderr { get; init; }

    /// <summary>
    /// The libraries read ahead from initialize as it was first read off the input, before the server was made
    /// (<see cref="Loading.InitializePeek"/>); used when initialize is handled, if it still names the same ones.
    /// </summary>
    public Func<Loading.LibraryPrefetch?>? ReadAhead { get; init; }

    /// <summary>The logger of that early reading, pointed at the server's log when there is one.</summary>
    public LateLogger? ReadAheadLog { get; init; }

    /// <summary>More handlers to register after the built-in ones (tests add slow or failing methods here).</summary>
    public Action<LspRouter>? ExtraHandlers { get; init; }
}

/// <summary>
/// A language server on a pair of streams: JSON-RPC with LSP's Content-Length headers, System.Text.Json
/// messages, and the handlers of <see cref="HandlerRegistry"/>. Messages are dispatched one at a time in the
/// order they arrive (requests then continue on the thread pool), which is what keeps didChange in order.
/// </summary>
internal sealed class LspServer : System.IAsyncDisposable
{
    private readonly JsonRpc _rpc;
    private readonly ILoggerFactory _loggerFactory;

    private LspServer(JsonRpc rpc, ServerHost host, ILoggerFactory loggerFactory)
    {
        _rpc = rpc;
        Host = host;
        _loggerFactory = loggerFactory;
    }

    public ServerHost Host { get; }

    public static LspServer Create(Stream input, Stream output, LspServerOptions? options = null)
    {
        options ??= new LspServerOptions();
        var clientLog = new ClientLoggerProvider(new LogLevelSwitch(LogLevel.Information));
        var stderr = new StderrLoggerProvider(options.Stderr ?? Console.Error, new LogLevelSwitch(options.StderrLogLevel));
        var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Trace)
            .AddProvider(stderr)
            .AddProvider(clientLog));

        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = LSP.LspJson.CreateOptions() };
        // Malformed messages are answered and the session goes on; unreadable framing ends it (MessageGuard).
        var guarded = new MessageGuard(input, loggerFactory.CreateLogger("BibServer"));
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(output, guarded, formatter))
        {
            SynchronizationContext = new NonConcurrentSynchronizationContext(sticky: false),
            CancelLocallyInvokedMethodsWhenConnectionIsClosed = true,
        };
        MessageGuard.AttachTo(rpc);

        var host = new ServerHost(options, new ClientConnection(rpc), loggerFactory, clientLog);
        HandlerRegistry.RegisterAll(host.Router);
        options.ExtraHandlers?.Invoke(host.Router);
        host.Router.AttachTo(rpc);
        return new LspServer(rpc, host, loggerFactory);
    }

    /// <summary>Serves until exit arrives or the client goes away; returns the process exit code.</summary>
    public async Task<int> RunAsync()
    {
        _rpc.StartListening();
        var finished = await Task.WhenAny(Host.Exited, _rpc.Completion);
        if (finished != Host.Exited)
        {
            if (_rpc.Completion.Exception?.InnerException is { } error)
            {
                Host.Logger.LogError("The connection to the client broke: {Message}", error.Message);
            }
            Host.Exit("the client closed the connection");
        }
        var code = await Host.Exited;
        await Host.Client.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { });
        return code;
    }

    public async ValueTask DisposeAsync()
    {
        Host.Exit("the server was disposed");
        _rpc.Dispose();
        await Host.Client.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { });
        _loggerFactory.Dispose();
    }
}
