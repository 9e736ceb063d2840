using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using BibServer.Hosting;
using BibServer.Server;
using Microsoft.VisualStudio.Threading;
using Nerdbank.Streams;
using StreamJsonRpc;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Harness;

/// <summary>
/// An LSP client for tests. It speaks real JSON-RPC to a real server: the built `bibserver lsp` process over
/// its standard input/output (<see cref="StartProcessAsync"/>), or an in-process server over an in-memory
/// duplex stream (<see cref="StartInProcess"/>), which is faster and lets a test look at the server's state
/// and plug in handlers or a diagnostics provider. It records every notification and request the server
/// sends, in order, and offers waits for them, so tests wait for a condition instead of sleeping.
/// <code>
/// await using var client = await LspTestClient.StartProcessAsync();
/// await client.InitializeAsync();
/// await client.OpenAsync("file:///notes/a.md", "See [@smith2020].\n");
/// await client.InsertAsync("file:///notes/a.md", 0, 4, "also ");
/// var diagnostics = await client.WaitForDiagnosticsAsync("file:///notes/a.md", d => d.Version == 2);
/// Assert.Equal(0, await client.ShutdownAndExitAsync());
/// </code>
/// </summary>
internal sealed class LspTestClient : System.IAsyncDisposable
{
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(15);

    private static readonly string[] NotificationMethods =
    [
        LSP.Methods.TextDocumentPublishDiagnostics, LSP.Methods.WindowLogMessage, LSP.Methods.WindowShowMessage,
        LSP.Methods.Progress, LSP.Methods.LogTrace, "telemetry/event", "bibserver/status",
    ];

    private static readonly string[] RequestMethods =
    [
        LSP.Methods.WindowWorkDoneProgressCreate, LSP.Methods.ClientRegisterCapability, LSP.Methods.ClientUnregisterCapability,
        LSP.Methods.WorkspaceConfiguration, LSP.Methods.WorkspaceApplyEdit, "window/showMessageRequest", "window/showDocument",
        "workspace/codeLens/refresh", "workspace/diagnostic/refresh", "workspace/inlayHint/refresh", "workspace/semanticTokens/refresh",
    ];

    private readonly JsonRpc _rpc;
    private readonly Stream _input;
    private readonly Process? _process;
    private readonly RecordingStream? _stdout;
    private readonly StringBuilder _stderr = new();
    private readonly StringWriter? _inProcessStderr;
    private readonly LspServer? _server;
    private readonly Task<int>? _serverRun;
    private readonly Lock _gate = new();
    private readonly List<ReceivedMessage> _received = [];
    private readonly List<(Func<ReceivedMessage, bool> Match, int After, TaskCompletionSource<ReceivedMessage> Done)> _waiters = [];
    private readonly Dictionary<string, (int Version, string Text)> _documents = new(StringComparer.Ordinal);
    private int _barriers;

    private LspTestClient(Stream output, Stream input, Process? process, RecordingStream? stdout, LspServer? server, Task<int>? serverRun, StringWriter? inProcessStderr)
    {
        _input = output;
        _process = process;
        _stdout = stdout;
        _server = server;
        _serverRun = serverRun;
        _inProcessStderr = inProcessStderr;
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = LSP.LspJson.CreateOptions() };
        _rpc = new JsonRpc(new HeaderDelimitedMessageHandler(output, input, formatter))
        {
            // Handled one at a time, in order, so Received is in the order the server sent.
            SynchronizationContext = new NonConcurrentSynchronizationContext(sticky: false),
        };
        foreach (var method in NotificationMethods) Attach(method, nameof(Sink.Notify));
        foreach (var method in RequestMethods) Attach(method, nameof(Sink.Answer));
        _rpc.StartListening();
    }

    /// <summary>Starts the built server (bibserver.dll beside the test assembly) as a process: `dotnet bibserver.dll lsp`.</summary>
    public static Task<LspTestClient> StartProcessAsync(params string[] arguments) => StartProcessAsync(ServerProcess(arguments));

    /// <summary>
    /// How the built server is started (`dotnet bibserver.dll lsp`, or these arguments), for a test to change its
    /// environment before <see cref="StartProcessAsync(ProcessStartInfo)"/>. Its cache directory is this test run's.
    /// </summary>
    public static ProcessStartInfo ServerProcess(params string[] arguments)
    {
        var start = new ProcessStartInfo(ServerCommand[0]);
        foreach (var argument in ServerCommand.Skip(1)) start.ArgumentList.Add(argument);
        foreach (var argument in arguments.Length == 0 ? ["lsp"] : arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The server caches the libraries it reads (Loading/LibraryCacheFiles): in a directory of this test run's, not the user's.
        start.Environment["XDG_CACHE_HOME"] = TestCacheHome;
        return start;
    }

    /// <summary>The cache directory the server processes of this test run share.</summary>
    public static string TestCacheHome { get; } = Path.Combine(Path.GetTempPath(), $"bibserver-test-cache-{Environment.ProcessId}");

    /// <summary>Starts a server process as given (another executable, its own environment), speaking LSP on its standard streams.</summary>
    public static Task<LspTestClient> StartProcessAsync(ProcessStartInfo start)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server process.");
        var stdout = new RecordingStream(process.StandardOutput.BaseStream);
        LspTestClient? client = null;
        var early = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (early) (client?._stderr ?? early).AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        client = new LspTestClient(process.StandardInput.BaseStream, stdout, process, stdout, null, null, null);
        lock (early) client._stderr.Insert(0, early.ToString());
        return Task.FromResult(client);
    }

    /// <summary>Starts a server in this process over an in-memory duplex stream.</summary>
    public static LspTestClient StartInProcess(LspServerOptions? options = null)
    {
        var (clientStream, serverStream) = FullDuplexStream.CreatePair();
        var stderr = new StringWriter();
        options = (options ?? new LspServerOptions()) with
        {
            Stderr = TextWriter.Synchronized(stderr),
            ParentProcessPollInterval = TimeSpan.Zero,
        };
        var server = LspServer.Create(serverStream, serverStream, options);
        var run = Task.Run(server.RunAsync);
        return new LspTestClient(clientStream, clientStream, null, null, server, run, stderr);
    }

    /// <summary>The path of the server to start: BIBSERVER_DLL, or bibserver.dll built beside the tests.</summary>
    public static string ServerDll { get; } = FindServerDll();

    /// <summary>
    /// The command that starts the server, before its verb: `dotnet bibserver.dll`, or with BIBSERVER_EXECUTABLE set the
    /// executable of a platform's build (scripts/release), so that the suite's process tests can run against what ships.
    /// </summary>
    public static IReadOnlyList<string> ServerCommand { get; } =
        Environment.GetEnvironmentVariable("BIBSERVER_EXECUTABLE") is { Length: > 0 } executable ? [executable] : ["dotnet", ServerDll];

    /// <summary>The folder of the server's own files (its citation styles): beside the executable or the dll.</summary>
    public static string ServerFolder => Path.GetDirectoryName(ServerCommand.Count == 1 ? ServerCommand[0] : ServerDll)!;

    private static string FindServerDll()
    {
        if (Environment.GetEnvironmentVariable("BIBSERVER_DLL") is { Length: > 0 } given) return given;
        var beside = Path.Combine(AppContext.BaseDirectory, "bibserver.dll");
        if (File.Exists(beside)) return beside;
        throw new FileNotFoundException("bibserver.dll is not beside the test assembly; build tests/BibServer.Server.Tests.", beside);
    }

    /// <summary>The in-process server's host, for tests that look at its state; null for the process variant.</summary>
    public ServerHost? Server => _server?.Host;

    public Process? Process => _process;

    /// <summary>What the server wrote to standard error so far.</summary>
    public string Stderr
    {
        get
        {
            if (_inProcessStderr is not null) lock (_inProcessStderr) return _inProcessStderr.ToString();
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>Every byte the server process wrote to standard output (the process variant only).</summary>
    public byte[] StdoutBytes => _stdout?.Recorded ?? throw new InvalidOperationException("Only the process variant records standard output.");

    /// <summary>What workspace/configuration answers for each item asked (null when unset).</summary>
    public JsonElement? ConfigurationAnswer { get; set; }

    // ---- Lifecycle -------------------------------------------------------------------------------------

    /// <summary>A client that can do what VS Code can: dynamic file watching, progress, configuration.</summary>
    public static LSP.ClientCapabilities FullCapabilities { get; } = new()
    {
        Window = new LSP.WindowClientCapabilities(WorkDoneProgress: true),
        Workspace = new LSP.WorkspaceClientCapabilities
        {
            Configuration = true,
            WorkspaceFolders = true,
            WorkspaceEdit = new LSP.WorkspaceEditClientCapabilities(DocumentChanges: true, ResourceOperations: ["create", "rename", "delete"]),
            DidChangeWatchedFiles = new LSP.DidChangeWatchedFilesClientCapabilities(DynamicRegistration: true),
        },
        TextDocument = new LSP.TextDocumentClientCapabilities
        {
            PublishDiagnostics = new LSP.PublishDiagnosticsClientCapabilities(VersionSupport: true),
        },
    };

    /// <summary>
    /// Sends initialize (with the given params, or a plain client's) and then initialized, and returns once the
    /// server has handled initialized (so <see cref="ServerHost.Started"/> is the startup's task).
    /// </summary>
    public async Task<LSP.InitializeResult> InitializeAsync(LSP.InitializeParams? request = null, bool sendInitialized = true)
    {
        request ??= new LSP.InitializeParams();
        request = request with
        {
            ProcessId = request.ProcessId ?? Environment.ProcessId,
            ClientInfo = request.ClientInfo ?? new LSP.ClientInfo("LspTestClient"),
        };
        var result = await RequestAsync<LSP.InitializeResult>(LSP.Methods.Initialize, request);
        if (sendInitialized)
        {
            await NotifyAsync(LSP.Methods.Initialized, new LSP.InitializedParams());
            await RoundTripAsync();
            // In process, wait for what initialized started (reading the workspace), so that a test's own
            // changes never race the start-up load. A process-based test waits for what it needs instead.
            if (Server is { } server) await server.Started.WaitAsync(DefaultTimeout);
        }
        return result;
    }

    /// <summary>shutdown, then exit; returns the server's exit code.</summary>
    public async Task<int> ShutdownAndExitAsync()
    {
        await RequestAsync<JsonElement?>(LSP.Methods.Shutdown, null);
        await NotifyAsync(LSP.Methods.Exit, null);
        return await WaitForExitAsync();
    }

    /// <summary>Waits for the server to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        if (_process is not null)
        {
            await _process.WaitForExitAsync().WaitAsync(timeout ?? DefaultTimeout);
            return _process.ExitCode;
        }
        return await _serverRun!.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>Closes the server's input, as a client that dies does.</summary>
    public void CloseInput() => _input.Dispose();

    // ---- Messages --------------------------------------------------------------------------------------

    public Task<T> RequestAsync<T>(string method, object? @params, CancellationToken cancellationToken = default) =>
        _rpc.InvokeWithParameterObjectAsync<T>(method, @params is null ? null : LSP.LspJson.ToElement(@params), cancellationToken);

    /// <summary>Sends a request with params given as JSON text, to send what no record would (malformed params).</summary>
    public Task<JsonElement> RequestJsonAsync(string method, string paramsJson, CancellationToken cancellationToken = default) =>
        _rpc.InvokeWithParameterObjectAsync<JsonElement>(method, JsonDocument.Parse(paramsJson).RootElement.Clone(), cancellationToken);

    public Task NotifyAsync(string method, object? @params) =>
        _rpc.NotifyWithParameterObjectAsync(method, @params is null ? null : LSP.LspJson.ToElement(@params));

    public Task NotifyJsonAsync(string method, string paramsJson) =>
        _rpc.NotifyWithParameterObjectAsync(method, JsonDocument.Parse(paramsJson).RootElement.Clone());

    /// <summary>Writes bytes straight to the server's input, bypassing JSON-RPC (for framing tests; process only).</summary>
    public async Task WriteRawAsync(string message)
    {
        var body = Encoding.UTF8.GetBytes(message);
        await _input.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
        await _input.WriteAsync(body);
        await _input.FlushAsync();
    }

    // ---- Documents -------------------------------------------------------------------------------------

    public async Task OpenAsync(string uri, string text, string languageId = "markdown", int version = 1)
    {
        lock (_gate) _documents[uri] = (version, text);
        await NotifyAsync(LSP.Methods.TextDocumentDidOpen, new LSP.DidOpenTextDocumentParams(new LSP.TextDocumentItem(uri, languageId, version, text)));
    }

    /// <summary>Replaces a range (lines and UTF-16 columns, zero-based) with new text, as one incremental change.</summary>
    public Task ChangeAsync(string uri, int startLine, int startColumn, int endLine, int endColumn, string newText) =>
        SendChangeAsync(uri, new LSP.TextDocumentContentChangeEvent(newText,
            new LSP.Range(new LSP.Position(startLine, startColumn), new LSP.Position(endLine, endColumn))));

    public Task InsertAsync(string uri, int line, int column, string text) => ChangeAsync(uri, line, column, line, column, text);

    /// <summary>Sends the whole new text as one full change.</summary>
    public Task ReplaceAllAsync(string uri, string text) => SendChangeAsync(uri, new LSP.TextDocumentContentChangeEvent(text));

    public async Task CloseAsync(string uri)
    {
        lock (_gate) _documents.Remove(uri);
        await NotifyAsync(LSP.Methods.TextDocumentDidClose, new LSP.DidCloseTextDocumentParams(new LSP.TextDocumentIdentifier(uri)));
    }

    /// <summary>The client's copy of an open document's text (edits applied with the server's own function).</summary>
    public string TextOf(string uri)
    {
        lock (_gate) return _documents[uri].Text;
    }

    public int VersionOf(string uri)
    {
        lock (_gate) return _documents[uri].Version;
    }

    private async Task SendChangeAsync(string uri, LSP.TextDocumentContentChangeEvent change)
    {
        int version;
        lock (_gate)
        {
            var (oldVersion, text) = _documents[uri];
            version = oldVersion + 1;
            var document = BibServer.Documents.OpenDocument.Create(uri, oldVersion, text).WithChanges(version, [Conversion.FromProto.Change(change)]);
            _documents[uri] = (version, document.Text);
        }
        await NotifyAsync(LSP.Methods.TextDocumentDidChange, new LSP.DidChangeTextDocumentParams(new LSP.VersionedTextDocumentIdentifier(uri, version), [change]));
    }

    public Task<LSP.Hover?> HoverAsync(string uri, int line, int column, CancellationToken cancellationToken = default) =>
        RequestAsync<LSP.Hover?>(LSP.Methods.TextDocumentHover,
            new LSP.HoverParams(new LSP.TextDocumentIdentifier(uri), new LSP.Position(line, column)), cancellationToken);

    public Task<LSP.CompletionList> CompletionAsync(string uri, int line, int column, CancellationToken cancellationToken = default) =>
        RequestAsync<LSP.CompletionList>(LSP.Methods.TextDocumentCompletion,
            new LSP.CompletionParams(new LSP.TextDocumentIdentifier(uri), new LSP.Position(line, column)), cancellationToken);

    // ---- What the server sent --------------------------------------------------------------------------

    public IReadOnlyList<ReceivedMessage> Received
    {
        get { lock (_gate) return [.. _received]; }
    }

    /// <summary>The number of messages received so far: pass it as "after" to wait only for newer ones.</summary>
    public int Mark()
    {
        lock (_gate) return _received.Count;
    }

    public IReadOnlyList<LSP.LogMessageParams> LogMessages =>
        [.. Received.Where(m => m.Method == LSP.Methods.WindowLogMessage).Select(m => m.Read<LSP.LogMessageParams>())];

    public IReadOnlyList<LSP.PublishDiagnosticsParams> DiagnosticsFor(string uri) =>
        [.. Received.Where(m => m.Method == LSP.Methods.TextDocumentPublishDiagnostics)
            .Select(m => m.Read<LSP.PublishDiagnosticsParams>()).Where(d => d.Uri == uri)];

    /// <summary>Waits for a message (received after index "after") that matches; fails with what did arrive.</summary>
    public async Task<ReceivedMessage> WaitForAsync(Func<ReceivedMessage, bool> match, TimeSpan? timeout = null, int after = 0, string? what = null)
    {
        var done = new TaskCompletionSource<ReceivedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var found = _received.Skip(after).FirstOrDefault(match);
            if (found is not null) return found;
            _waiters.Add((match, after, done));
        }
        try
        {
            return await done.Task.WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException)
        {
            lock (_gate) _waiters.RemoveAll(waiter => waiter.Done == done);
            var received = string.Join(Environment.NewLine, Received.TakeLast(30).Select(m => "  " + Shorten(m.ToString())));
            throw new TimeoutException(
                $"No {what ?? "matching message"} within {(timeout ?? DefaultTimeout).TotalSeconds} s. Last received:{Environment.NewLine}{received}" +
                $"{Environment.NewLine}Server stderr:{Environment.NewLine}{Stderr}");
        }
    }

    public async Task<LSP.PublishDiagnosticsParams> WaitForDiagnosticsAsync(
        string uri, Func<LSP.PublishDiagnosticsParams, bool>? predicate = null, TimeSpan? timeout = null, int after = 0)
    {
        var message = await WaitForAsync(m => m.Method == LSP.Methods.TextDocumentPublishDiagnostics
            && m.Read<LSP.PublishDiagnosticsParams>() is var d && d.Uri == uri && (predicate?.Invoke(d) ?? true), timeout, after, $"diagnostics for {uri}");
        return message.Read<LSP.PublishDiagnosticsParams>();
    }

    public async Task<LSP.LogMessageParams> WaitForLogAsync(Func<LSP.LogMessageParams, bool> predicate, TimeSpan? timeout = null, int after = 0)
    {
        var message = await WaitForAsync(m => m.Method == LSP.Methods.WindowLogMessage && predicate(m.Read<LSP.LogMessageParams>()), timeout, after, "log message");
        return message.Read<LSP.LogMessageParams>();
    }

    public Task<LSP.LogMessageParams> WaitForLogAsync(string contains, TimeSpan? timeout = null, int after = 0) =>
        WaitForLogAsync(log => log.Message.Contains(contains, StringComparison.Ordinal), timeout, after);

    /// <summary>
    /// Returns once every log message caused by what was sent before has arrived: it sends a change to a
    /// document that is not open, which the server handles in order and answers with a warning. Needs a
    /// client log level of warning or lower.
    /// </summary>
    public async Task BarrierAsync()
    {
        var uri = $"untitled:barrier-{Interlocked.Increment(ref _barriers)}";
        var after = Mark();
        await NotifyAsync(LSP.Methods.TextDocumentDidChange,
            new LSP.DidChangeTextDocumentParams(new LSP.VersionedTextDocumentIdentifier(uri, 1), [new LSP.TextDocumentContentChangeEvent("")]));
        await WaitForLogAsync(uri, after: after);
    }

    /// <summary>
    /// Returns once the server has handled every notification sent before: the server dispatches messages in
    /// order, so a request's answer means all earlier notifications were applied to its state.
    /// </summary>
    public Task RoundTripAsync() => HoverAsync("untitled:round-trip", 0, 0);

    /// <summary>
    /// A hover whose paper's reference the test wants rendered in the note's style. The server waits for a render
    /// only briefly (StyleService.RenderWait) and shows the paper's fields, its title in bold, until the render is
    /// done; its log says when (a render finished after its request answered, or the note's render-ahead done), and
    /// the hover is then asked again. Needs the client's log level at debug (trace messages or verbose).
    /// </summary>
    /// <summary>
    /// Waits until the citation engine has loaded (or failed to), as the server logs it. It loads after a note's
    /// first diagnostics, off the request path: a hover asked before shows the paper's fields, so a test that
    /// asserts the rendered reference of a first hover waits for this first.
    /// </summary>
    public Task WaitForStylesAsync(TimeSpan? timeout = null) =>
        WaitForLogAsync(m => m.Message.Contains("Warmed citeproc-js up", StringComparison.Ordinal)
            || m.Message.Contains("citation engine could not be loaded", StringComparison.Ordinal), timeout ?? TimeSpan.FromSeconds(60));

    public async Task<LSP.Hover?> HoverRenderedAsync(string uri, int line, int column)
    {
        // A render the log reports may be another one (the note's render-ahead of an earlier version): a few rounds,
        // each waiting for the server to report a render done.
        for (var round = 0; ; round++)
        {
            var mark = Mark();
            var hover = await HoverAsync(uri, line, column);
            if (hover?.Contents.Value.StartsWith("**", StringComparison.Ordinal) != true || round == 4) return hover;
            await WaitForLogAsync(m => m.Message.Contains("after its request answered", StringComparison.Ordinal)
                || m.Message.Contains("Rendered ahead", StringComparison.Ordinal), TimeSpan.FromSeconds(60), after: mark);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private void Record(string method, JsonElement? @params, bool isRequest)
    {
        lock (_gate)
        {
            var message = new ReceivedMessage(_received.Count, method, @params?.Clone(), isRequest);
            _received.Add(message);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var (match, after, done) = _waiters[i];
                if (message.Index >= after && match(message))
                {
                    _waiters.RemoveAt(i);
                    done.TrySetResult(message);
                }
            }
        }
    }

    private object? Answer(string method, JsonElement? @params) => method switch
    {
        LSP.Methods.WorkspaceConfiguration => Enumerable.Repeat(ConfigurationAnswer, (@params?.GetProperty("items").GetArrayLength()) ?? 1).ToArray(),
        LSP.Methods.WorkspaceApplyEdit => new LSP.ApplyWorkspaceEditResult(Applied: false, FailureReason: "The test client applies no edits."),
        _ => null,
    };

    private void Attach(string method, string sinkMethod) =>
        _rpc.AddLocalRpcMethod(typeof(Sink).GetMethod(sinkMethod)!, new Sink(this, method),
            new JsonRpcMethodAttribute(method) { UseSingleObjectParameterDeserialization = true });

    private sealed class Sink(LspTestClient client, string method)
    {
        public void Notify(JsonElement? @params = null) => client.Record(method, @params, isRequest: false);

        public object? Answer(JsonElement? @params = null)
        {
            client.Record(method, @params, isRequest: true);
            return client.Answer(method, @params);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _rpc.Dispose();
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
            }
            _process.Dispose();
        }
        if (_server is not null) await _server.DisposeAsync();
    }
}
