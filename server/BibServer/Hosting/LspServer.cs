using System.IO.Pipelines;
using BibServer.Handlers;
using BibServer.Server;
using BibServer.Server.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.Threading;
using Nerdbank.Streams;
using StreamJsonRpc;
using LSP = BibServer.Protocol;

namespace BibServer.Hosting;

/// <summary>
/// A language server on a pair of streams: JSON-RPC with LSP's Content-Length headers, System.Text.Json
/// messages, and the handlers of <see cref="HandlerRegistry"/>. This is where the server is assembled: the
/// session (<see cref="ServerHost"/>, which knows no handler) and the handlers, registered on its router.
/// Messages are dispatched one at a time in the order they arrive (requests then continue on the thread pool),
/// which is what keeps didChange in order.
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
        // Made directly, not through LoggerFactory.Create, which builds a dependency-injection container for it:
        // 15 ms of every start-up, on the way to answering initialize (docs/benchmarks.md).
        var loggerFactory = new LoggerFactory([stderr, clientLog], new LoggerFilterOptions { MinLevel = LogLevel.Trace });

        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = LSP.LspJson.CreateOptions() };
        // Malformed messages are answered and the session goes on; unreadable framing ends it (MessageGuard).
        var guarded = new MessageGuard(input, loggerFactory.CreateLogger("BibServer"));
        // What is sent is written to the output stream when it is flushed, not handed to a task that copies it
        // there later (what a Stream given to the handler gets): a notification that ClientConnection.SentAsync
        // says is sent is then with the client, so the collections that follow the first diagnostics
        // (AllocationBurst.Settle, which stops every thread) can no longer hold them back (a quarter of a second).
        var writer = PipeWriter.Create(output);
        var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(writer, guarded.UsePipeReader(), formatter))
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
