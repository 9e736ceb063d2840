using System.Diagnostics;
using System.Text.Json;
using Microsoft.VisualStudio.Threading;
using StreamJsonRpc;
using LSP = BibServer.Protocol;

namespace BibServer.Benchmarks.Lsp;

/// <summary>
/// The benchmark's side of the connection: starts <c>dotnet bibserver.dll lsp</c> and speaks JSON-RPC to it
/// over its standard input/output, as an editor does. It answers the requests the server sends (progress
/// tokens, file watcher registration, configuration) and notes when each notification arrived, so that the
/// time from a message sent to the server's answer can be measured.
/// </summary>
internal sealed class LspProcessClient : System.IAsyncDisposable
{
    private readonly Process _process;
    private readonly JsonRpc _rpc;
    private readonly Lock _gate = new();
    private readonly List<(string Method, JsonElement Params, long Timestamp)> _received = [];
    private readonly List<(Func<string, JsonElement, bool> Match, TaskCompletionSource<(JsonElement, long)> Done)> _waiters = [];
    private readonly List<(string Message, long Timestamp)> _log = [];

    private LspProcessClient(Process process)
    {
        _process = process;
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = LSP.LspJson.CreateOptions() };
        _rpc = new JsonRpc(new HeaderDelimitedMessageHandler(process.StandardInput.BaseStream, process.StandardOutput.BaseStream, formatter))
        {
            SynchronizationContext = new NonConcurrentSynchronizationContext(sticky: false),
        };
        foreach (var method in new[] { LSP.Methods.TextDocumentPublishDiagnostics, LSP.Methods.WindowLogMessage, LSP.Methods.Progress, "bibserver/status" })
            Attach(method, nameof(Sink.Notify));
        foreach (var method in new[] { LSP.Methods.WindowWorkDoneProgressCreate, LSP.Methods.ClientRegisterCapability, LSP.Methods.WorkspaceConfiguration })
            Attach(method, nameof(Sink.Answer));
        _rpc.StartListening();
    }

    public int ProcessId => _process.Id;

    public string Stderr { get; private set; } = "";

    /// <summary>Starts the server; <paramref name="started"/> is the timestamp taken just before the process was started.</summary>
    /// <summary>Standard error's lines with the timestamps of their arrival (the server flushes each line).</summary>
    public List<(string Line, long Timestamp)> StderrLines { get; } = [];

    /// <param name="environment">Variables set for the server (its cache directory, the cache switch).</param>
    /// <param name="logFile">Where to write the server's log (standard error), each line with its time after the process started.</param>
    public static LspProcessClient Start(string serverDll, out long started, string? logLevel = null, IReadOnlyDictionary<string, string>? environment = null, string? logFile = null)
    {
        // A .dll is the framework-dependent server, run by `dotnet`; anything else is an executable of its own
        // (a self-contained or NativeAOT build from `dotnet publish -r`).
        var framework = serverDll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(framework ? "dotnet" : serverDll)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (framework) start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add("lsp");
        if (logLevel is not null)
        {
            start.ArgumentList.Add("--log-level");
            start.ArgumentList.Add(logLevel);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        var client = new LspProcessClient(process);
        var origin = started;
        var log = logFile is null ? null : new StreamWriter(logFile) { AutoFlush = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (client._gate)
            {
                client.Stderr += e.Data + "\n";
                client.StderrLines.Add((e.Data, Stopwatch.GetTimestamp()));
                log?.WriteLine($"{Stopwatch.GetElapsedTime(origin).TotalMilliseconds,8:F0} {e.Data}");
            }
        };
        process.BeginErrorReadLine();
        return client;
    }

    public Task<T> RequestAsync<T>(string method, object? @params) =>
        _rpc.InvokeWithParameterObjectAsync<T>(method, @params is null ? null : LSP.LspJson.ToElement(@params));

    public Task NotifyAsync(string method, object? @params) =>
        _rpc.NotifyWithParameterObjectAsync(method, @params is null ? null : LSP.LspJson.ToElement(@params));

    /// <summary>Waits for a notification (one already received counts) and returns it with the timestamp of its arrival.</summary>
    public async Task<(JsonElement Params, long Timestamp)> WaitForAsync(Func<string, JsonElement, bool> match, TimeSpan timeout, string what)
    {
        var done = new TaskCompletionSource<(JsonElement, long)>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var (method, @params, timestamp) in _received)
                if (match(method, @params)) return (@params, timestamp);
            _waiters.Add((match, done));
        }
        try
        {
            return await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No {what} within {timeout.TotalSeconds} s. Server stderr:\n{Stderr}");
        }
    }

    /// <summary>The server's log messages so far (window/logMessage), and forgets them.</summary>
    public List<string> TakeLog()
    {
        lock (_gate)
        {
            var log = _log.Select(l => l.Message).ToList();
            _log.Clear();
            return log;
        }
    }

    /// <summary>The server's log messages so far with the timestamps of their arrival, kept.</summary>
    public List<(string Message, long Timestamp)> PeekLog()
    {
        lock (_gate) return _log.ToList();
    }

    /// <summary>Forgets what was received so far, so that long runs do not search an ever longer list.</summary>
    public void ForgetReceived()
    {
        lock (_gate) _received.Clear();
    }

    /// <summary>A line of /proc/PID/status, such as VmRSS or VmHWM, in MB; null where there is no /proc.</summary>
    public double? MemoryMegabytes(string field)
    {
        var path = $"/proc/{_process.Id}/status";
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var kilobytes = long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]);
            return kilobytes / 1024.0;
        }
        return null;
    }

    /// <summary>The CPU time the server has used so far (user and system, all threads), from /proc/PID/stat; null where there is no /proc.</summary>
    /// <summary>The process's resident memory by mapping (its file, or [heap], [anon]...), largest first, in MB.</summary>
    public List<(string Mapping, double Megabytes)> ResidentByMapping()
    {
        var path = $"/proc/{_process.Id}/smaps";
        if (!File.Exists(path)) return [];
        var sizes = new Dictionary<string, double>();
        var current = "";
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 5 && parts[0].Contains('-') && !parts[0].EndsWith(':'))
                current = parts.Length >= 6 ? string.Join(' ', parts[5..]) : "[anon]";
            else if (parts is ["Rss:", var kb, "kB"])
                sizes[current] = sizes.GetValueOrDefault(current) + double.Parse(kb) / 1024;
        }
        return [.. sizes.Select(s => (s.Key, s.Value)).OrderByDescending(s => s.Value)];
    }

    public TimeSpan? CpuTime()
    {
        var path = $"/proc/{_process.Id}/stat";
        if (!File.Exists(path)) return null;
        // The command name, field 2, is in parentheses and may hold spaces: count fields after the last ')'.
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public async Task<int> ShutdownAsync()
    {
        await RequestAsync<JsonElement?>(LSP.Methods.Shutdown, null);
        await NotifyAsync(LSP.Methods.Exit, null);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    private void Record(string method, JsonElement? @params)
    {
        var timestamp = Stopwatch.GetTimestamp();
        var value = @params?.Clone() ?? default;
        lock (_gate)
        {
            if (method == LSP.Methods.WindowLogMessage)
            {
                if (value.TryGetProperty("message", out var message)) _log.Add((message.GetString() ?? "", timestamp));
                return;
            }
            _received.Add((method, value, timestamp));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(method, value)) continue;
                _waiters[i].Done.TrySetResult((value, timestamp));
                _waiters.RemoveAt(i);
            }
        }
    }

    private void Attach(string method, string sinkMethod) =>
        _rpc.AddLocalRpcMethod(typeof(Sink).GetMethod(sinkMethod)!, new Sink(this, method),
            new JsonRpcMethodAttribute(method) { UseSingleObjectParameterDeserialization = true });

    private sealed class Sink(LspProcessClient client, string method)
    {
        public void Notify(JsonElement? @params = null) => client.Record(method, @params);

        public object? Answer(JsonElement? @params = null) => method == LSP.Methods.WorkspaceConfiguration
            ? new object?[(@params?.GetProperty("items").GetArrayLength()) ?? 1]
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        _rpc.Dispose();
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        }
        _process.Dispose();
    }
}
