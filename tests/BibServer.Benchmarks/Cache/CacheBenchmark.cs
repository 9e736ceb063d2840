using System.Diagnostics;
using BibServer.Benchmarks.Bibtex;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Cache;
using BibServer.Core.Workspace;

namespace BibServer.Benchmarks.Cache;

/// <summary>
/// The library cache in process, phase by phase, on the BibTeX benchmark's generated library: reading the file
/// (text and parse), writing the cache, and a warm start's work: reading the cache's bytes and decoding them,
/// then the merge, the search index and the closest keys' counts that the first diagnostics wait for (rebuilt
/// from the papers, not cached). Each phase's wall time and this process's CPU time over it; the best and the
/// median of the rounds. Options: --papers N (100000), --rounds N (5), --seed N (1296).
/// </summary>
public static class CacheBenchmark
{
    public static int Run(string[] args)
    {
        var papers = IntOption(args, "--papers", 100_000);
        var rounds = IntOption(args, "--rounds", 5);
        var seed = IntOption(args, "--seed", 1296);
        var dir = Directory.CreateTempSubdirectory("bibserver-cache-bench-");
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}");
            var path = Path.Combine(dir.FullName, "library.bib");
            BibtexCorpusGenerator.Write(path, papers, seed);
            var cacheFile = Path.Combine(dir.FullName, "library.cache");
            var serverCache = Path.Combine(dir.FullName, "server-cache");
            BibServer.Loading.LibraryCacheFiles.Directory = serverCache;
            var key = System.Text.Encoding.UTF8.GetBytes(path + "|stamp");
            var phases = new Dictionary<string, List<(double Wall, double Cpu)>>();
            void Time(string phase, Action work)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                work();
                var wall = clock.Elapsed.TotalMilliseconds;
                (phases.TryGetValue(phase, out var list) ? list : phases[phase] = []).Add((wall, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds));
            }
            for (var round = 0; round < rounds; round++)
            {
                LibraryDocument? read = null;
                Time("cold: read the file's text and parse it", () => read = LibraryReader.Read(path, File.ReadAllText(path)));
                Time("write the cache (encode to a file)", () =>
                {
                    using var stream = new FileStream(cacheFile, FileMode.Create, FileAccess.ReadWrite);
                    LibraryCache.Encode(read!, key, stream);
                });
                // The server's own cache file of the library, for the server's read below.
                if (round == 0 && BibServer.Loading.LibraryCacheFiles.Write(serverCache, read!, BibServer.Loading.LibraryCacheFiles.KeyOf(path)!) is { } failed)
                    throw new IOException(failed);
                read = null;
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                LibraryDocument? cached = null;
                byte[]? bytes = null;
                Time("warm: read the cache file's bytes", () => bytes = File.ReadAllBytes(cacheFile));
                // As the server reads a library at start-up: with the collector held off for 3.5 bytes a byte of the
                // cache (WorkspaceLoader's budget), let go after the merge.
                var budget = 7L * new FileInfo(cacheFile).Length / 2;
                Time("warm: check and decode them (collector held off)", () => cached = BibServer.Loading.AllocationBurst.Run(budget, () => LibraryCache.Decode(bytes!, key, LibraryFormats.Of(path), () => "").Document));
                cached = null;
                bytes = null;
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                LibraryState? state = null;
                // The server's read (LibraryCacheFiles.TryRead: the file's key, the cache mapped, checked from the file's
                // reads beside the decode), then the merge.
                Time("warm: map the cache file, check and decode it, merge (collector held off: the server's read)", () => BibServer.Loading.AllocationBurst.Run(budget, () =>
                {
                    cached = BibServer.Loading.LibraryCacheFiles.TryRead(path) ?? throw new InvalidOperationException("The server did not read its cache.");
                    return state = LibraryState.Empty.With(documents: [cached!], workspaceLibraries: [path]);
                }));
                state = null;
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                Time("merge (LibrarySet)", () => state = LibraryState.Empty.With(documents: [cached!], workspaceLibraries: [path]));
                Time("search index (PaperIndex)", () => Core.Features.Search.PaperIndex.Of(state!.Workspace));
                Time("closest keys' counts", () => Core.Features.Search.ClosestKeys.Prepare(state!.Workspace));
                if (round == 0) Console.WriteLine($"cache file: {new FileInfo(cacheFile).Length / 1e6:F1} MB for {cached!.Papers.Length:N0} papers ({new FileInfo(path).Length / 1e6:F1} MB of BibTeX)");
                state = null;
                cached = null;
                bytes = null;
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
            Console.WriteLine($"load average at the end: {LoadAverage()}");
            Console.WriteLine();
            Console.WriteLine($"| phase ({rounds} rounds) | wall, best / median | CPU, best / median |");
            Console.WriteLine("|---|---|---|");
            foreach (var (phase, times) in phases)
            {
                var wall = times.Select(t => t.Wall).Order().ToList();
                var cpu = times.Select(t => t.Cpu).Order().ToList();
                Console.WriteLine($"| {phase} | {wall[0]:F0} / {wall[wall.Count / 2]:F0} ms | {cpu[0]:F0} / {cpu[cpu.Count / 2]:F0} ms |");
            }
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }
}
