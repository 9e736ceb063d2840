using BibServer.Server;
using Microsoft.Extensions.Logging;
using BibServer.Server.Logging;

using BibServer.Hosting;

namespace BibServer.Commands;

/// <summary>
/// `bibserver lsp [--stdio] [--log-level LEVEL]`: the language server over standard input and output.
/// `--stdio` is accepted because VS Code's client passes it; standard input/output is the only transport.
/// </summary>
internal static class LspCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        Loading.NativeHeap.LimitArenas();
        var options = new LspServerOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--stdio":
                    break;
                case "--log-level" when i + 1 < args.Length && LogLevels.Parse(args[i + 1]) is { } level:
                    options = options with { StderrLogLevel = level };
                    i++;
                    break;
                default:
                    // Clients add flags of their own (--clientProcessId=...); refusing them would refuse the client.
                    Console.Error.WriteLine($"bibserver: ignoring the argument '{args[i]}'.");
                    break;
            }
        }

        // The libraries read at start-up stay held off from the collector until the first diagnostics are sent
        // (the diagnostics publisher settles them then); a client that opens no note gets them settled anyway.
        Loading.AllocationBurst.HoldAfterWork = TimeSpan.FromSeconds(5);
        if (Environment.GetEnvironmentVariable("BIBSERVER_CITEPROC_ENGINE") is { Length: > 0 } engine)
        {
            if (Enum.TryParse<Core.Styles.ScriptRuntime>(engine, ignoreCase: true, out var runtime) && Enum.IsDefined(runtime) && !char.IsDigit(engine[0]))
                options = options with { CitationEngine = runtime };
            else Console.Error.WriteLine($"bibserver: ignoring BIBSERVER_CITEPROC_ENGINE={engine} (jint or v8).");
        }
        // Libraries read from disk are cached in the user's cache directory, unless BIBSERVER_CACHE=off.
        Loading.LibraryCacheFiles.Directory = Loading.LibraryCacheFiles.FromEnvironment();

        // Standard output carries JSON-RPC and nothing else: anything written to Console.Out by mistake
        // (a library's stray WriteLine) goes to standard error instead of corrupting the stream.
        // Reading standard input holds a thread-pool thread for the whole session (the console stream has no
        // asynchronous reads), and writing answers can hold another: without room for them, work that
        // splits across the cores (reading a large library, building its index) found no thread for its second
        // half and ran on one core until the pool grew, up to twice as long.
        ThreadPool.GetMinThreads(out var workers, out var completion);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + 2), completion);
        // The first message, initialize, is read as soon as it comes, and the libraries it names are read ahead
        // while the rest of the server starts.
        var readAheadLog = new LateLogger();
        var stdin = new InitializePeek(Console.OpenStandardInput(), readAheadLog);
        options = options with { ReadAhead = stdin.TakePrefetch, ReadAheadLog = readAheadLog };
        // The heap that a warm start fills with the library's papers, in huge pages: asked for beside the rest of the
        // start-up (reading the process's mappings takes some milliseconds), long before the library is read.
        _ = Task.Run(() =>
        {
            if (Loading.HeapPages.AdviseHuge() is var (heapStart, heapEnd))
                readAheadLog.LogDebug("Asked for huge pages for the collector's heap ({Megabytes} MB reserved at {Start:x}-{End:x}).", (heapEnd - heapStart) >> 20, heapStart, heapEnd);
        });
        var stdout = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);

        await using var server = LspServer.Create(stdin, stdout, options);
        return await server.RunAsync();
    }
}
