using System.Collections.Immutable;
using System.Diagnostics;
using BibServer.Benchmarks.Bibtex;
using BibServer.Core.Libraries;
using BibServer.Core.Workspace;
using BibServer.Loading;

namespace BibServer.Benchmarks.Memory;

/// <summary>
/// Where the memory of a large library goes, in process, stage by stage as the server loads it: the file's
/// content as the server reads it, the library document (papers), the merge, the search index and the closest
/// keys' tables, and then what the cache's write after a cold start allocates. Each figure is what stays alive after a full collection (<see cref="GC.GetTotalMemory"/>), so
/// it is the stage's own share; the process's peak (VmHWM) of a real server is the <c>lsp</c> benchmark's.
/// Options: --papers N (100000), --seed N (1296), --gcdump (write a heap dump at the end with dotnet-gcdump,
/// when it is installed as a dotnet tool, and print its largest types).
/// </summary>
public static class MemoryBenchmark
{
    public static int Run(string[] args)
    {
        var papers = IntOption(args, "--papers") ?? 100_000;
        var seed = IntOption(args, "--seed") ?? 1296;
        var dir = Directory.CreateTempSubdirectory("bibserver-memory-bench-");
        try
        {
            var path = Path.Combine(dir.FullName, "library.bib");
            BibtexCorpusGenerator.Write(path, papers, seed);
            var size = new FileInfo(path).Length;
            Console.WriteLine($"command: dotnet run -c Release --project tests/BibServer.Benchmarks -- memory --papers {papers}");
            Console.WriteLine($"library.bib: {papers:N0} papers, {size / 1e6:F1} MB; load average {File.ReadAllText("/proc/loadavg").Trim()}");

            var rows = new List<(string What, long Bytes, long Allocated)>();
            long allocatedAt = 0;
            long Allocated()
            {
                var now = GC.GetTotalAllocatedBytes(precise: true);
                var since = now - allocatedAt;
                allocatedAt = now;
                return since;
            }
            var before = Retained();
            Allocated();
            var clock = Stopwatch.StartNew();
            var content = FileReading.ReadLibrary(path) ?? throw new InvalidOperationException("library.bib was not read");
            var readMs = clock.ElapsedMilliseconds;
            var allocContent = Allocated();
            var afterContent = Retained();
            rows.Add(($"the file's content as read ({(content.Text is not null ? "text" : content.File is not null ? "the file, open, read in parts by the reader" : "bytes")})",
                afterContent - before, allocContent));

            clock.Restart();
            var document = LibraryReader.Read(path, content);
            var parseMs = clock.ElapsedMilliseconds;
            content = default;
            var allocDocument = Allocated();
            var afterDocument = Retained();
            rows.Add(($"the library document ({document.Papers.Length:N0} papers), content included", afterDocument - before, allocDocument));

            clock.Restart();
            var state = LibraryState.Empty.With(documents: [document], workspaceLibraries: [path]);
            var mergeMs = clock.ElapsedMilliseconds;
            var allocMerge = Allocated();
            var afterMerge = Retained();
            rows.Add(("the merge (LibrarySet of the workspace)", afterMerge - afterDocument, allocMerge));

            clock.Restart();
            Core.Features.Search.PaperIndex.Of(state.Workspace);
            var indexMs = clock.ElapsedMilliseconds;
            var allocIndex = Allocated();
            var afterIndex = Retained();
            rows.Add(("the search index (PaperIndex)", afterIndex - afterMerge, allocIndex));

            Allocated();
            Core.Features.Search.ClosestKeys.Prepare(state.Workspace);
            var allocKeys = Allocated();
            var afterKeys = Retained();
            rows.Add(("the closest keys' tables", afterKeys - afterIndex, allocKeys));
            rows.Add(("all of it", afterKeys - before, allocContent + allocDocument + allocMerge + allocIndex + allocKeys));

            // After a cold start the server writes the library's cache (off the start's path): all it allocates is garbage once written.
            Allocated();
            clock.Restart();
            using (var cache = File.Create(Path.Combine(dir.FullName, "library.cache")))
                Core.Libraries.Cache.LibraryCache.Encode(document, "memory benchmark"u8, cache);
            var cacheMs = clock.ElapsedMilliseconds;
            // What stays alive is not measured here: the collections in between also trim the pooled arrays the index used.
            var allocCache = Allocated();

            Console.WriteLine($"read {readMs} ms, parse {parseMs} ms, merge {mergeMs} ms, index {indexMs} ms, cache's write {cacheMs} ms (timings with the collector forced between stages)");
            Console.WriteLine();
            // While the server reads a library the collector is held off (Loading/AllocationBurst), so all that a
            // stage allocates is in the process until the first diagnostics, not only what stays alive.
            Console.WriteLine("| stage | stays alive, MB | allocated, MB |");
            Console.WriteLine("|---|---|---|");
            foreach (var (what, bytes, allocated) in rows) Console.WriteLine($"| {what} | {bytes / 1e6:F1} | {allocated / 1e6:F1} |");
            Console.WriteLine($"| the cache's write, after (not in \"all of it\"; garbage once written) | - | {allocCache / 1e6:F1} |");
            var info = GC.GetGCMemoryInfo();
            Console.WriteLine();
            Console.WriteLine($"this process: VmRSS {Status("VmRSS")}, VmHWM {Status("VmHWM")}; GC heap {info.HeapSizeBytes / 1e6:F1} MB, committed {info.TotalCommittedBytes / 1e6:F1} MB");

            if (args.Contains("--gcdump")) GcDump(dir.FullName);
            GC.KeepAlive(state);
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static long Retained()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Status(string field) =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))?[(field.Length + 1)..].Trim() ?? "n/a";

    /// <summary>A heap dump of this process by dotnet-gcdump (a dotnet tool), and its report of the largest types.</summary>
    private static void GcDump(string dir)
    {
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
        if (!File.Exists(tool))
        {
            Console.WriteLine("--gcdump: dotnet-gcdump is not installed (dotnet tool install -g dotnet-gcdump)");
            return;
        }
        var dump = Path.Combine(dir, "memory.gcdump");
        Run(tool, $"collect -p {Environment.ProcessId} -o {dump}");
        Console.WriteLine(Run(tool, $"report {dump}"));
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return output.Result + error.Result;
    }

    private static int? IntOption(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : null;
    }
}
