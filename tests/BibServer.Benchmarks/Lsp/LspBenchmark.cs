using System.Diagnostics;
using System.Text.Json;
using BibServer.Documents;
using LSP = BibServer.Protocol;

namespace BibServer.Benchmarks.Lsp;

/// <summary>
/// The language server end to end, as an editor meets it: the built server as a process, spoken to over
/// JSON-RPC, on a generated workspace of a 100,000-paper BibTeX library and a 5,000-line note with 2,000
/// citations. Measures the time from starting the process to the note's first diagnostics, completion and
/// hover latency, the time from a keystroke to its diagnostics, and the server's memory. Every figure is a
/// round trip seen by the client, JSON-RPC included. Options: --papers N (100000), --lines N (5000),
/// --citations N (2000), --completions N (300), --hovers N (500), --keystrokes N (100), --seed N (1296),
/// --server PATH (bibserver.dll beside this program; a path not ending in .dll is run as an executable, such as
/// a self-contained or NativeAOT build), --keep, --trace (the server logs at trace level, and
/// the time it spent on each request, by its own clock, is shown beside the round trips), --server-log FILE (the
/// server's log written to FILE, each line with its time after the process started; with --trace, every request),
/// --cache on|off (on: the server caches the parsed library in a cache directory of the benchmark's own, so the first
/// start is cold and the later ones warm; off: BIBSERVER_CACHE=off), --warm N (3: the starts after the first, each
/// measured to the note's first diagnostics and checked to answer as the first did), --starts N (start-up only: N
/// rounds, each starting every --server given, which may be repeated, in turn; cold starts, the cache off unless
/// --cache on is given).
/// </summary>
public static class LspBenchmark
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static int Run(string[] args)
    {
        var papers = IntOption(args, "--papers", 100_000);
        var lines = IntOption(args, "--lines", 5_000);
        var citations = IntOption(args, "--citations", 2_000);
        var completions = IntOption(args, "--completions", 300);
        var hovers = IntOption(args, "--hovers", 500);
        var keystrokes = IntOption(args, "--keystrokes", 100);
        var seed = IntOption(args, "--seed", 1296);
        var servers = StringOptions(args, "--server");
        if (servers.Count == 0) servers.Add(Path.Combine(AppContext.BaseDirectory, "bibserver.dll"));
        var server = servers[0];
        var keep = args.Contains("--keep");
        var trace = args.Contains("--trace");
        var logFile = StringOption(args, "--server-log");
        var cache = StringOption(args, "--cache") is not "off";
        var warm = IntOption(args, "--warm", 3);
        var starts = IntOption(args, "--starts", 0);
        var prewarm = args.Contains("--prewarm");
        if (starts > 0 && StringOption(args, "--cache") is null) cache = false;

        var dir = Directory.CreateTempSubdirectory("bibserver-lsp-bench-");
        try
        {
            Console.WriteLine($"command: dotnet run -c Release --project tests/BibServer.Benchmarks -- lsp {string.Join(' ', args)}".TrimEnd());
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, load average {LoadAverage()}");
            Console.WriteLine($"server: {(server.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? "dotnet " : "")}{server} lsp ({new FileInfo(server).Length / 1e6:F1} MB; diagnostics delay {new Server.LspServerOptions().DiagnosticsDelay.TotalMilliseconds} ms)");
            var sw = Stopwatch.StartNew();
            var ws = LspWorkspaceGenerator.Write(dir.FullName, papers, lines, citations, seed);
            Console.WriteLine($"generated in {sw.Elapsed.TotalSeconds:F1} s: library.bib {papers:N0} papers ({ws.LibraryBytes / 1e6:F1} MB), " +
                $"{LspWorkspaceGenerator.NoteName} {lines:N0} lines with {ws.Citations.Count:N0} citations ({ws.BrokenKeys.Count} broken on purpose), in {dir.FullName}");
            // The generator's garbage (the library's text, hundreds of megabytes) is collected now, not in a pause of
            // this client's that a request's round trip would be charged with.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            // The server's cache in a directory of this run's own: the user's cache is left alone, and the first
            // start finds no cache (a cold start) whatever ran before.
            var cacheHome = Path.Combine(dir.FullName, "cache");
            var environment = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = cacheHome };
            if (!cache) environment["BIBSERVER_CACHE"] = "off";
            Console.WriteLine($"library cache: {(cache ? $"on, in {cacheHome}" : "off (BIBSERVER_CACHE=off)")}");
            if (starts > 0) return StartsAsync(ws, servers, starts, trace, environment).GetAwaiter().GetResult();
            // --prewarm: a first start only writes the library's cache, so that the measured session is a warm one.
            if (prewarm && cache) PrewarmAsync(ws, server, environment, cacheHome).GetAwaiter().GetResult();
            var code = RunAsync(ws, server, completions, hovers, keystrokes, seed, trace, environment, logFile).GetAwaiter().GetResult();
            return code != 0 || warm <= 0 ? code : WarmStartsAsync(ws, server, warm, trace, environment, cache ? cacheHome : null).GetAwaiter().GetResult();
        }
        finally
        {
            if (keep) Console.WriteLine($"kept {dir.FullName}");
            else dir.Delete(recursive: true);
        }
    }

    /// <summary>A start that ends once the server has written the library's cache (<c>--prewarm</c>).</summary>
    private static async Task PrewarmAsync(LspWorkspace ws, string server, IReadOnlyDictionary<string, string> environment, string cacheHome)
    {
        var uri = DocumentUris.FromPath(ws.NotePath);
        await using var client = LspProcessClient.Start(server, out var started, null, environment);
        await StartAsync(client, ws, uri, started, trace: false);
        await WaitForCacheAsync(cacheHome);
        var exit = await client.ShutdownAsync();
        Check(exit == 0, $"the server exited with {exit}");
        Console.WriteLine($"prewarm: a first start wrote the library's cache in {Ms(started, Stopwatch.GetTimestamp())}; the session measured below starts warm");
    }

    private static async Task WaitForCacheAsync(string cacheHome)
    {
        var libraries = Path.Combine(cacheHome, "bibserver", "libraries");
        var waited = Stopwatch.StartNew();
        while (!(Directory.Exists(libraries) && Directory.EnumerateFiles(libraries, "*.cache").Any()))
        {
            if (waited.Elapsed > Timeout) throw new InvalidOperationException($"The server wrote no cache in {libraries}.");
            await Task.Delay(100);
        }
    }

    /// <summary>The first start's answers, which every later start must give again.</summary>
    private static string? _firstDiagnostics;
    private static string? _firstHover;

    private static async Task<int> RunAsync(LspWorkspace ws, string server, int completions, int hovers, int keystrokes, int seed, bool trace,
        IReadOnlyDictionary<string, string> environment, string? logFile)
    {
        var rows = new List<(string What, string Figure, string Target)>();
        var uri = DocumentUris.FromPath(ws.NotePath);
        await using var client = LspProcessClient.Start(server, out var started, trace ? "trace" : null, environment, logFile);
        var start = await StartAsync(client, ws, uri, started, trace);
        _firstDiagnostics = start.FirstDiagnosticsJson;
        var resolves = start.Resolves;
        var version = 1;
        var text = ws.NoteText;
        rows.Add(("process start -> initialize answered", Ms(started, start.Initialized), ""));
        rows.Add(("process start -> library indexed (status)", Ms(started, start.Indexed), ""));
        rows.Add(("process start -> first diagnostics of the note", Ms(started, start.FirstDiagnostics), "< 1000 ms"));
        rows.Add(("  server CPU time until then (user + system)", start.Cpu is { } cpu ? $"{cpu.TotalMilliseconds:F0} ms" : "n/a (no /proc)", ""));
        rows.Add(("process start -> diagnostics naming the closest keys", Ms(started, start.Complete), ""));
        var rssAfterStart = client.MemoryMegabytes("VmRSS");
        var peakAfterStart = client.MemoryMegabytes("VmHWM");
        client.ForgetReceived();

        // This client's own collections must not be charged to the server: a pause of its collector while an
        // answer arrives (a 20 ms gen-1 collection, seen in a trace) would count as a slow round trip. Its
        // collector is held off while it measures (the measurements allocate well under the 512 MB asked for).
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var clientHeld = GC.TryStartNoGCRegion(512L << 20);

        var random = new Random(seed);
        var good = ws.Citations.Where(c => !ws.BrokenKeys.Contains(c.Key)).ToList();

        client.TakeLog();
        // Hover: the first request pays for compiling the hover path; it is reported apart.
        var firstHover = await TimeAsync(async () => _firstHover = (await client.RequestAsync<LSP.Hover?>(LSP.Methods.TextDocumentHover, HoverAt(uri, good[0], 1)))?.Contents.Value);
        var hoverTimes = new List<double>();
        var hovered = new List<LSP.HoverParams>();
        var renderedFirst = 0;
        for (var i = 0; i < hovers; i++)
        {
            var c = good[random.Next(good.Count)];
            LSP.Hover? hover = null;
            var at = HoverAt(uri, c, random.Next(c.Key.Length + 1));
            hovered.Add(at);
            hoverTimes.Add(await TimeAsync(async () => hover = await client.RequestAsync<LSP.Hover?>(LSP.Methods.TextDocumentHover, at)));
            // The paper's own hover: its title in bold, or (once the note's style has rendered it) its reference
            // first; both name the key.
            Check(hover?.Contents.Value is { } shown && (shown.StartsWith("**", StringComparison.Ordinal) || shown.Contains($"`@{c.Key}`", StringComparison.Ordinal)),
                $"no paper in the hover over {c.Key}");
            if (hover?.Contents.Value.StartsWith("**", StringComparison.Ordinal) == false) renderedFirst++;
        }
        // The same hovers again: each paper has been rendered by now (on its first hover, or ahead), so this is
        // the issue's "hover once a paper has been rendered".
        var againTimes = new List<double>();
        var renderedAgain = 0;
        foreach (var at in hovered)
        {
            LSP.Hover? hover = null;
            againTimes.Add(await TimeAsync(async () => hover = await client.RequestAsync<LSP.Hover?>(LSP.Methods.TextDocumentHover, at)));
            if (hover?.Contents.Value.StartsWith("**", StringComparison.Ordinal) == false) renderedAgain++;
        }
        if (trace)
        {
            // Where the slow ones fall: right after start-up (background work, the first collections) or anywhere.
            var slow = hoverTimes.Select((t, i) => (t, i)).OrderByDescending(x => x.t).Take(8).Select(x => $"#{x.i} {x.t:F1} ms");
            Console.WriteLine($"slowest hovers (of {hovers}, in order sent): {string.Join(", ", slow)}");
        }
        rows.Add(($"hover, first request", $"{firstHover:F1} ms", ""));
        rows.Add(($"hover, {hovers} citations, p50 / p99", P50P99(hoverTimes), "p99 < 5 ms"));
        rows.Add(($"  of which led with the rendered reference", $"{renderedFirst} of {hovers}", ""));
        rows.Add(($"hover, the same {hovers} again (rendered), p50 / p99", P50P99(againTimes), "p99 < 5 ms"));
        rows.Add(($"  of which led with the rendered reference", $"{renderedAgain} of {hovers}", ""));
        if (trace) rows.Add(("  the server's own time for hover, p50 / p99", ServerTimes(client, LSP.Methods.TextDocumentHover), ""));

        var hwmAfterHovers = client.MemoryMegabytes("VmHWM");
        client.TakeLog();
        // Completion inside keys already written: the cursor 1 to 8 characters into a key, nothing edited.
        var inKeys = completions * 2 / 3;
        var firstCompletion = await TimeAsync(() => client.RequestAsync<LSP.CompletionList>(LSP.Methods.TextDocumentCompletion, CompletionAt(uri, good[1].Line, good[1].Column + 1)));
        var keyTimes = new List<double>();
        var keyQueries = new List<string>();
        long answerBytes = 0;
        var resolveTimes = new List<double>();
        for (var i = 0; i < inKeys; i++)
        {
            var c = good[random.Next(good.Count)];
            var depth = 1 + random.Next(Math.Min(8, c.Key.Length));
            keyQueries.Add(c.Key[..depth]);
            LSP.CompletionList? list = null;
            keyTimes.Add(await TimeAsync(async () => list = await client.RequestAsync<LSP.CompletionList>(LSP.Methods.TextDocumentCompletion, CompletionAt(uri, c.Line, c.Column + depth))));
            Check(list is { IsIncomplete: true, Items.Count: > 0 and <= 100 }, $"no completion for {c.Key[..depth]}");
            answerBytes += LSP.LspJson.ToElement(list!).GetRawText().Length;
            // The editor then shows the first item's documentation.
            if (!resolves) continue;
            LSP.CompletionItem? resolved = null;
            resolveTimes.Add(await TimeAsync(async () => resolved = await client.RequestAsync<LSP.CompletionItem>("completionItem/resolve", list!.Items[0])));
            // The paper's title in bold, or (once the note's style has rendered it) its reference first.
            Check(resolved?.Documentation?.Value is { Length: > 0 }, $"no documentation for {list!.Items[0].Label}");
        }
        rows.Add(($"completion, first request", $"{firstCompletion:F1} ms", ""));
        rows.Add(($"completion in {inKeys} keys (1-8 chars typed), p50 / p99", P50P99(keyTimes), "p99 < 20 ms"));
        rows.Add(($"  size of a completion answer (JSON), mean", $"{answerBytes / 1024.0 / inKeys:F0} KB", ""));
        if (resolves) rows.Add(($"completionItem/resolve of the first item, {resolveTimes.Count} times, p50 / p99", P50P99(resolveTimes), ""));

        // Completion while typing: the scratch line becomes "Scratch: [@query" (a didChange), then completion is
        // asked at once, as an editor does; the next query waits for that version's diagnostics.
        var queries = Queries(ws, random, completions - inKeys);
        var typedTimes = new List<double>();
        var scratchLength = "Scratch:".Length;
        foreach (var query in queries)
        {
            var newText = $" [@{query}";
            version++;
            await client.NotifyAsync(LSP.Methods.TextDocumentDidChange, new LSP.DidChangeTextDocumentParams(
                new LSP.VersionedTextDocumentIdentifier(uri, version),
                [new LSP.TextDocumentContentChangeEvent(newText, new LSP.Range(new LSP.Position(ws.ScratchLine, "Scratch:".Length), new LSP.Position(ws.ScratchLine, scratchLength)))]));
            scratchLength = "Scratch:".Length + newText.Length;
            LSP.CompletionList? list = null;
            typedTimes.Add(await TimeAsync(async () => list = await client.RequestAsync<LSP.CompletionList>(LSP.Methods.TextDocumentCompletion, CompletionAt(uri, ws.ScratchLine, scratchLength))));
            Check(list is { IsIncomplete: true, Items.Count: <= 100 }, $"no completion list for {query}");
            var expected = version;
            await client.WaitForAsync((m, p) => IsDiagnostics(m, p, uri, expected), Timeout, $"diagnostics of version {expected}");
        }
        rows.Add(($"completion after typing {queries.Count} queries (names, title words), p50 / p99", P50P99(typedTimes), "p99 < 20 ms"));
        Console.WriteLine("slowest completions: " + string.Join(", ", keyQueries.Zip(keyTimes).Concat(queries.Zip(typedTimes))
            .OrderByDescending(q => q.Second).Take(6).Select(q => $"\"{q.First}\" {q.Second:F1} ms")));
        var all = keyTimes.Concat(typedTimes).ToList();
        rows.Add(($"completion, all {all.Count}, p50 / p99", P50P99(all), "p99 < 20 ms"));
        if (trace) rows.Add(("  the server's own time for completion, p50 / p99", ServerTimes(client, LSP.Methods.TextDocumentCompletion), ""));

        var hwmAfterCompletions = client.MemoryMegabytes("VmHWM");
        // Keystrokes: one character typed into a key breaks it, deleting it mends it; each time a different
        // citation, so no broken key's closest-key search is remembered from before.
        await client.NotifyAsync(LSP.Methods.TextDocumentDidChange, new LSP.DidChangeTextDocumentParams(
            new LSP.VersionedTextDocumentIdentifier(uri, ++version),
            [new LSP.TextDocumentContentChangeEvent("", new LSP.Range(new LSP.Position(ws.ScratchLine, "Scratch:".Length), new LSP.Position(ws.ScratchLine, scratchLength)))]));
        var cleared = version;
        await client.WaitForAsync((m, p) => IsDiagnostics(m, p, uri, cleared), Timeout, "diagnostics after clearing the scratch line");
        client.ForgetReceived();
        var breakTimes = new List<double>();
        var mendTimes = new List<double>();
        var targets = good.Where(c => c.Line != ws.ScratchLine).OrderBy(_ => random.Next()).Take((keystrokes + 1) / 2).ToList();
        for (var i = 0; i < keystrokes; i++)
        {
            var c = targets[i / 2];
            var breaking = i % 2 == 0;
            var at = new LSP.Position(c.Line, c.Column + 2);
            var change = breaking
                ? new LSP.TextDocumentContentChangeEvent("x", new LSP.Range(at, at))
                : new LSP.TextDocumentContentChangeEvent("", new LSP.Range(at, at with { Character = at.Character + 1 }));
            var expected = ++version;
            var sent = Stopwatch.GetTimestamp();
            await client.NotifyAsync(LSP.Methods.TextDocumentDidChange, new LSP.DidChangeTextDocumentParams(new LSP.VersionedTextDocumentIdentifier(uri, expected), [change]));
            var (published, arrived) = await client.WaitForAsync((m, p) => IsDiagnostics(m, p, uri, expected), Timeout, $"diagnostics of version {expected}");
            (breaking ? breakTimes : mendTimes).Add(Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds);
            var count = published.GetProperty("diagnostics").GetArrayLength();
            // A key just broken is the one being typed into, so its error is held back until the writer pauses
            // (Server/TypingHold.cs); its diagnostics were still computed, closest keys included.
            Check(count == ws.BrokenKeys.Count, $"version {expected} has {count} diagnostics");
            if (i % 20 == 19) client.ForgetReceived();
        }
        var delay = new Server.LspServerOptions().DiagnosticsDelay.TotalMilliseconds;
        rows.Add(($"keystroke -> its diagnostics, {keystrokes} keystrokes, p50 / p99", P50P99([.. breakTimes, .. mendTimes]), "< 50 ms"));
        rows.Add(($"  of which breaking a key (closest keys searched), p50 / p99", P50P99(breakTimes), ""));
        rows.Add(($"  of which mending it, p50 / p99", P50P99(mendTimes), ""));
        rows.Add(($"  of which the debounce delay", $"{delay:F0} ms", ""));

        var clientCollected = clientHeld && System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.NoGCRegion;
        if (clientHeld && !clientCollected) GC.EndNoGCRegion();
        Console.WriteLine(clientHeld && !clientCollected
            ? "this client's collector: held off during the measurements"
            : "this client's collector: ran during the measurements (its pauses may show in the round trips)");
        var rss = client.MemoryMegabytes("VmRSS");
        var hwm = client.MemoryMegabytes("VmHWM");
        if (trace)
            Console.WriteLine("resident at the end, by mapping: " + string.Join(", ", client.ResidentByMapping().Take(10).Select(m => $"{m.Mapping} {m.Megabytes:F0} MB")));
        rows.Add(("server memory after start-up (VmRSS)", Mb(rssAfterStart), "< 1024 MB"));
        rows.Add(("server memory peak during start-up (VmHWM)", Mb(peakAfterStart), "< 1024 MB"));
        rows.Add(("server memory peak after the hovers (VmHWM)", Mb(hwmAfterHovers), ""));
        rows.Add(("server memory peak after the completions (VmHWM)", Mb(hwmAfterCompletions), ""));
        rows.Add(("server memory at the end (VmRSS)", Mb(rss), "< 1024 MB"));
        rows.Add(("  of it, anonymous / file pages", $"{Mb(client.MemoryMegabytes("RssAnon"))} / {Mb(client.MemoryMegabytes("RssFile"))}", ""));
        rows.Add(("server memory peak (VmHWM)", Mb(hwm), "< 400 MB"));
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        // With the cache on, the server writes the library's cache after the first diagnostics, in the background;
        // a short run may end before it is written, so the next start would not be warm: it is waited for.
        if (environment.TryGetValue("XDG_CACHE_HOME", out var cacheHome) && !environment.ContainsKey("BIBSERVER_CACHE"))
        {
            var libraries = Path.Combine(cacheHome, "bibserver", "libraries");
            await WaitForCacheAsync(cacheHome);
            Console.WriteLine($"cache written {Ms(start.FirstDiagnostics, Stopwatch.GetTimestamp())} after the first diagnostics (or sooner): " +
                $"{Directory.EnumerateFiles(libraries, "*.cache").Sum(f => new FileInfo(f).Length) / 1e6:F1} MB in {libraries}");
        }
        var exit = await client.ShutdownAsync();
        Check(exit == 0, $"the server exited with {exit}");

        Console.WriteLine();
        var width = rows.Max(r => r.What.Length);
        Console.WriteLine($"| {"measure".PadRight(width)} | {"figure",-19} | {"target",-11} |");
        Console.WriteLine($"|{new string('-', width + 2)}|{new string('-', 21)}|{new string('-', 13)}|");
        foreach (var (what, figure, target) in rows) Console.WriteLine($"| {what.PadRight(width)} | {figure,-19} | {target,-11} |");
        return 0;
    }

    /// <summary>When each step of a start-up came (timestamps), the server's CPU time at its first diagnostics, and whether it resolves completion items.</summary>
    private sealed record StartTimes(long Initialized, long FirstDiagnostics, TimeSpan? Cpu, long Complete, long Indexed, bool Resolves, string FirstDiagnosticsJson);

    /// <summary>
    /// The start as VS Code makes it: initialize, initialized and didOpen of the note sent at once, then the note's
    /// first diagnostics (checked: exactly the broken keys), the server's CPU time taken as they arrive; then the
    /// diagnostics that name the closest keys of the broken ones (the same publish, or a later one) and the status
    /// that says the libraries are indexed.
    /// </summary>
    private static async Task<StartTimes> StartAsync(LspProcessClient client, LspWorkspace ws, string uri, long started, bool trace)
    {
        var initialize = client.RequestAsync<LSP.InitializeResult>(LSP.Methods.Initialize, new LSP.InitializeParams
        {
            ProcessId = Environment.ProcessId,
            ClientInfo = new LSP.ClientInfo("BibServer.Benchmarks"),
            Trace = trace ? LSP.TraceValue.Verbose : LSP.TraceValue.Off,
            RootUri = DocumentUris.FromPath(ws.Root),
            WorkspaceFolders = [new LSP.WorkspaceFolder(DocumentUris.FromPath(ws.Root), "bench")],
            Capabilities = new LSP.ClientCapabilities
            {
                Window = new LSP.WindowClientCapabilities(WorkDoneProgress: true),
                Workspace = new LSP.WorkspaceClientCapabilities
                {
                    Configuration = true,
                    WorkspaceFolders = true,
                    DidChangeWatchedFiles = new LSP.DidChangeWatchedFilesClientCapabilities(DynamicRegistration: true),
                },
                TextDocument = new LSP.TextDocumentClientCapabilities
                {
                    PublishDiagnostics = new LSP.PublishDiagnosticsClientCapabilities(VersionSupport: true),
                    // As VS Code: an item's documentation is asked for when the item is shown.
                    Completion = new LSP.CompletionClientCapabilities(new LSP.CompletionItemClientCapabilities(
                        ResolveSupport: new LSP.CompletionItemResolveSupport(["documentation", "detail", "additionalTextEdits"]))),
                },
            },
        });
        var capabilities = (await initialize.WaitAsync(Timeout)).Capabilities;
        var resolves = capabilities.CompletionProvider?.ResolveProvider == true;
        var initialized = Stopwatch.GetTimestamp();
        await client.NotifyAsync(LSP.Methods.Initialized, new LSP.InitializedParams());
        await client.NotifyAsync(LSP.Methods.TextDocumentDidOpen,
            new LSP.DidOpenTextDocumentParams(new LSP.TextDocumentItem(uri, "markdown", 1, ws.NoteText)));
        var (first, firstAt) = await client.WaitForAsync((m, p) => IsDiagnostics(m, p, uri, 1), Timeout, "first diagnostics");
        var cpu = client.CpuTime();
        var firstCount = first.GetProperty("diagnostics").GetArrayLength();
        Check(firstCount == ws.BrokenKeys.Count, $"the first diagnostics hold {firstCount} problems, not the {ws.BrokenKeys.Count} broken keys");
        // Every broken key of the note is a typo of a real key: its diagnostic names closest keys once they are known.
        var (_, completeAt) = await client.WaitForAsync((m, p) => IsDiagnostics(m, p, uri, 1)
            && p.GetProperty("diagnostics").EnumerateArray().All(d => d.GetProperty("message").GetString()!.Contains("Closest:", StringComparison.Ordinal)),
            Timeout, "diagnostics naming the closest keys");
        var (_, indexedAt) = await client.WaitForAsync((m, p) => m == "bibserver/status" && !p.GetProperty("indexing").GetBoolean(), Timeout, "indexed status");
        if (trace)
        {
            // Where start-up went, by the server's log on standard error (flushed line by line, so the arrival
            // of a line is when it was written): each line with its time after the process started.
            Console.WriteLine("start-up, as the server logged it:");
            List<(string Line, long Timestamp)> lines;
            lock (client.StderrLines) lines = [.. client.StderrLines];
            var last = Math.Max(completeAt, Math.Max(firstAt, indexedAt));
            foreach (var (line, at) in lines.Where(l => Stopwatch.GetElapsedTime(last, l.Timestamp) < TimeSpan.FromMilliseconds(50)))
                Console.WriteLine($"  {Ms(started, at),8}  {line}");
        }
        return new StartTimes(initialized, firstAt, cpu, completeAt, indexedAt, resolves, first.GetProperty("diagnostics").GetRawText());
    }

    /// <summary>
    /// Start-up only (<c>--starts N</c>): N rounds, each starting every server named (<c>--server</c>, repeatable) in
    /// turn on the same workspace, so that builds compared meet the same load; each until its closest keys are
    /// published, then shut down. Prints every start and the median of each server.
    /// </summary>
    private static async Task<int> StartsAsync(LspWorkspace ws, List<string> servers, int rounds, bool trace, IReadOnlyDictionary<string, string> environment)
    {
        var uri = DocumentUris.FromPath(ws.NotePath);
        var results = servers.ToDictionary(s => s, _ => new List<(double First, double Cpu, double Complete)>());
        Console.WriteLine("| round | server | load (1 min) | start -> first diagnostics | server CPU until then | start -> closest keys named |");
        Console.WriteLine("|---|---|---|---|---|---|");
        for (var round = 1; round <= rounds; round++)
            foreach (var server in servers)
            {
                var load = LoadAverage().Split(' ')[0];
                StartTimes times;
                long started;
                await using (var client = LspProcessClient.Start(server, out started, trace ? "trace" : null, environment))
                {
                    times = await StartAsync(client, ws, uri, started, trace);
                    var exit = await client.ShutdownAsync();
                    Check(exit == 0, $"the server exited with {exit}");
                }
                var first = Stopwatch.GetElapsedTime(started, times.FirstDiagnostics).TotalMilliseconds;
                var cpu = times.Cpu?.TotalMilliseconds ?? double.NaN;
                var complete = Stopwatch.GetElapsedTime(started, times.Complete).TotalMilliseconds;
                results[server].Add((first, cpu, complete));
                Console.WriteLine($"| {round} | {server} | {load} | {first:F0} ms | {cpu:F0} ms | {complete:F0} ms |");
            }
        Console.WriteLine();
        Console.WriteLine($"medians of {rounds} starts (load average at the end: {LoadAverage()}):");
        foreach (var (server, list) in results)
            Console.WriteLine($"  {server}: first diagnostics {Median(list.Select(r => r.First)):F0} ms, server CPU {Median(list.Select(r => r.Cpu)):F0} ms, closest keys named {Median(list.Select(r => r.Complete)):F0} ms");
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// The starts after the first, on the same workspace: with the cache on, the first start wrote the library's
    /// cache after its first diagnostics, so these are warm starts (waited for: the cache file is there). Each is
    /// timed from the process's start to the note's first diagnostics, which must be the first start's, as must
    /// the first hover (the entry's file and line included).
    /// </summary>
    private static async Task<int> WarmStartsAsync(LspWorkspace ws, string server, int starts, bool trace, IReadOnlyDictionary<string, string> environment, string? cacheHome)
    {
        var uri = DocumentUris.FromPath(ws.NotePath);
        var rows = new List<(string What, string Figure, string Target)>();
        var target = cacheHome is null ? "" : "< 300 ms";
        for (var i = 1; i <= starts; i++)
        {
            var load = LoadAverage();
            await using var client = LspProcessClient.Start(server, out var started, trace ? "trace" : null, environment);
            // The same start as the first (StartAsync): its first diagnostics, then the closest keys and the index.
            var start = await StartAsync(client, ws, uri, started, trace: false);
            var (initialized, firstAt, cpu) = (start.Initialized, start.FirstDiagnostics, start.Cpu);
            var rss = client.MemoryMegabytes("VmRSS");
            var hwm = client.MemoryMegabytes("VmHWM");
            // Of the resident memory: the process's own (the heap, the runtime's) and pages of files (the executable's
            // code, a mapped library cache's pages read so far).
            var (anonymous, fileBacked) = (client.MemoryMegabytes("RssAnon"), client.MemoryMegabytes("RssFile"));
            Check(start.FirstDiagnosticsJson == _firstDiagnostics, $"start {i + 1}'s first diagnostics differ from the first start's");
            var good = ws.Citations.First(c => !ws.BrokenKeys.Contains(c.Key));
            var hover = await client.RequestAsync<LSP.Hover?>(LSP.Methods.TextDocumentHover, HoverAt(uri, good, 1));
            Check(hover?.Contents.Value == _firstHover, $"start {i + 1}'s first hover differs from the first start's");
            if (trace)
            {
                Console.WriteLine($"start {i + 1}, as the server logged it:");
                List<(string Line, long Timestamp)> lines;
                lock (client.StderrLines) lines = [.. client.StderrLines];
                foreach (var (line, at) in lines.Where(l => Stopwatch.GetElapsedTime(firstAt, l.Timestamp) < TimeSpan.FromMilliseconds(50)))
                    Console.WriteLine($"  {Ms(started, at),8}  {line}");
            }
            var exit = await client.ShutdownAsync();
            Check(exit == 0, $"the server exited with {exit}");
            var kind = cacheHome is null ? "again, no cache" : "warm";
            rows.Add(($"start {i + 1} ({kind}, load {load.Split(' ')[0]}): process start -> initialize answered", Ms(started, initialized), ""));
            rows.Add(($"start {i + 1} ({kind}): process start -> first diagnostics of the note", Ms(started, firstAt), target));
            rows.Add(($"start {i + 1} ({kind}):   server CPU time until then", cpu is { } c ? $"{c.TotalMilliseconds:F0} ms" : "n/a", ""));
            rows.Add(($"start {i + 1} ({kind}):   memory once indexed (VmRSS / VmHWM)", $"{Mb(rss)} / {Mb(hwm)}", ""));
            rows.Add(($"start {i + 1} ({kind}):   of VmRSS, anonymous / file pages", $"{Mb(anonymous)} / {Mb(fileBacked)}", ""));
        }
        Console.WriteLine();
        var width = rows.Max(r => r.What.Length);
        Console.WriteLine($"| {"measure".PadRight(width)} | {"figure",-19} | {"target",-11} |");
        Console.WriteLine($"|{new string('-', width + 2)}|{new string('-', 21)}|{new string('-', 13)}|");
        foreach (var (what, figure, t) in rows) Console.WriteLine($"| {what.PadRight(width)} | {figure,-19} | {t,-11} |");
        return 0;
    }

    /// <summary>What a writer types after <c>[@</c>: the start of an author's name, a title word, or both with a year.</summary>
    private static List<string> Queries(LspWorkspace ws, Random random, int count)
    {
        string[] words = ["learning", "neural", "graph", "quantum", "transformer", "bayesian", "sparse", "thin film", "reinforcement", "attention"];
        var queries = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var key = ws.LibraryKeys[random.Next(ws.LibraryKeys.Count)];
            var family = new string(key.TakeWhile(char.IsAsciiLetter).ToArray());
            var year = new string(key.SkipWhile(char.IsAsciiLetter).Take(4).ToArray());
            queries.Add((i % 4) switch
            {
                0 => family[..Math.Min(family.Length, 1 + random.Next(6))],
                1 => words[random.Next(words.Length)] is var word ? word[..Math.Min(3 + random.Next(5), word.Length)] : "",
                2 => $"{family} {year}",
                _ => $"{year} {words[random.Next(words.Length)]}",
            });
        }
        return queries;
    }

    /// <summary>The server's own times for a method (its trace log says "Answered METHOD in N ms."), whole milliseconds.</summary>
    private static string ServerTimes(LspProcessClient client, string method)
    {
        var prefix = $"Answered {method} in ";
        var times = client.TakeLog()
            .Select(line => line.IndexOf(prefix, StringComparison.Ordinal) is var at and >= 0 ? line[(at + prefix.Length)..].Split(' ')[0] : null)
            .OfType<string>().Select(double.Parse).ToList();
        return times.Count == 0 ? "n/a" : P50P99(times);
    }

    private static LSP.HoverParams HoverAt(string uri, PlacedCitation c, int into) =>
        new(new LSP.TextDocumentIdentifier(uri), new LSP.Position(c.Line, c.Column + into));

    private static LSP.CompletionParams CompletionAt(string uri, int line, int column) =>
        new(new LSP.TextDocumentIdentifier(uri), new LSP.Position(line, column));

    private static bool IsDiagnostics(string method, JsonElement p, string uri, int version) =>
        method == LSP.Methods.TextDocumentPublishDiagnostics && p.GetProperty("uri").GetString() == uri
        && p.TryGetProperty("version", out var v) && v.GetInt32() == version;

    private static async Task<double> TimeAsync(Func<Task> request)
    {
        var start = Stopwatch.GetTimestamp();
        await request();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static void Check(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException("The server's answer is wrong: " + what + ".");
    }

    private static string P50P99(List<double> times)
    {
        var sorted = times.Order().ToList();
        double Rank(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];
        return $"{Rank(0.50):F1} / {Rank(0.99):F1} ms";
    }

    /// <summary>The 1, 5 and 15 minute load averages: on a shared machine, figures taken under load are slower than the server is.</summary>
    private static List<string> StringOptions(string[] args, string name)
    {
        var values = new List<string>();
        for (var i = 0; i + 1 < args.Length; i++)
            if (args[i] == name) values.Add(args[++i]);
        return values;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Ms(long from, long to) => $"{Stopwatch.GetElapsedTime(from, to).TotalMilliseconds:F0} ms";

    private static string Mb(double? megabytes) => megabytes is { } mb ? $"{mb:F0} MB" : "n/a (no /proc)";

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }

    private static string? StringOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
