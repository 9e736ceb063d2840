using System.Diagnostics;
using System.Globalization;
using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Bibtex;

namespace BibServer.Benchmarks.Bibtex;

/// <summary>
/// Times <see cref="BibtexReader.Read"/> (file read plus parse) on a generated library and pandoc on the
/// same file. Options: --entries N (100000), --runs N (7), --prefix N (10000, the entries given to pandoc
/// when the whole file is too slow for it), --pandoc-timeout SECONDS (600), --pandoc-heap-gb N (8, pandoc's
/// heap limit), --no-pandoc, --keep, --seed N.
/// </summary>
public static class BibtexBenchmark
{
    public static int Run(string[] args)
    {
        var entries = IntOption(args, "--entries", 100_000);
        var runs = IntOption(args, "--runs", 7);
        var prefix = IntOption(args, "--prefix", 10_000);
        var timeout = TimeSpan.FromSeconds(IntOption(args, "--pandoc-timeout", 600));
        var seed = IntOption(args, "--seed", 1296);
        var heapGb = IntOption(args, "--pandoc-heap-gb", 8);
        var withPandoc = !args.Contains("--no-pandoc");
        var keep = args.Contains("--keep");
        // The server reads a file on disk from its bytes (BibtexReader.ReadUtf8); --text times the text path an
        // editor's buffer takes (the file decoded to a string first, as the server read files before issue 13).
        _fromText = args.Contains("--text");

        var dir = Directory.CreateTempSubdirectory("bibserver-bench-");
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; " +
                              $"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, " +
                              // Batch is what the runtime reports when concurrent (background) GC is off.
                              $"{(System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Batch ? "concurrent GC off" : "concurrent GC on")}");
            var path = Path.Combine(dir.FullName, $"generated-{entries}.bib");
            var sw = Stopwatch.StartNew();
            BibtexCorpusGenerator.Write(path, entries, seed);
            var bytes = new FileInfo(path).Length;
            Console.WriteLine($"generated {entries:N0} entries (seed {seed}), {bytes / 1e6:F1} MB, in {sw.Elapsed.TotalSeconds:F1} s: {path}");

            var ours = Measure(path, runs);
            Report($"BibtexReader.{(_fromText ? "Read (text)" : "ReadUtf8 (bytes)")}, {entries:N0} entries", ours, bytes);
            ReadAllTextFigure(path);

            if (!withPandoc) return 0;
            var pandocVersion = PandocVersion();
            if (pandocVersion is null)
            {
                Console.WriteLine("pandoc not found: no comparison.");
                return 0;
            }
            Console.WriteLine($"pandoc: {pandocVersion}");

            // pandoc needs minutes and gigabytes for the whole file, so it is first timed on a prefix
            // (the same first entries), which always finishes, and then on the whole file under a timeout.
            if (prefix < entries)
            {
                var prefixPath = Path.Combine(dir.FullName, $"generated-{prefix}.bib");
                BibtexCorpusGenerator.Write(prefixPath, prefix, seed);
                var prefixBytes = new FileInfo(prefixPath).Length;
                var oursPrefix = Measure(prefixPath, runs);
                Report($"BibtexReader.Read, {prefix:N0}-entry prefix", oursPrefix, prefixBytes);
                var pandocPrefix = Pandoc(prefixPath, timeout, heapGb);
                ReportPandoc($"pandoc, {prefix:N0}-entry prefix", pandocPrefix, oursPrefix);
            }
            var pandocAll = Pandoc(path, timeout, heapGb);
            ReportPandoc($"pandoc, {entries:N0} entries", pandocAll, ours);

            // The real libraries in the repository, for figures on files people actually have.
            foreach (var corpus in Corpora())
            {
                var size = new FileInfo(corpus).Length;
                var timing = Measure(corpus, runs);
                Report($"BibtexReader.Read, {Path.GetFileName(corpus)}", timing, size);
                ReportPandoc($"pandoc, {Path.GetFileName(corpus)}", Pandoc(corpus, timeout, heapGb), timing);
            }
            return 0;
        }
        finally
        {
            if (keep) Console.WriteLine($"kept {dir.FullName}");
            else dir.Delete(recursive: true);
        }
    }

    private static IEnumerable<string> Corpora()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BibServer.sln"))) dir = dir.Parent;
        var corpora = dir is null ? null : Path.Combine(dir.FullName, "tests", "testdata", "corpora");
        return corpora is not null && Directory.Exists(corpora) ? Directory.GetFiles(corpora, "*.bib").Order(StringComparer.Ordinal) : [];
    }

    private static bool _fromText;

    private sealed record Timing(double Best, double Median, double BestRead, double BestParse, double First, double CpuMedian, int Papers, int Problems, long Allocated);

    private static Timing Measure(string path, int runs)
    {
        // The first run pays for JIT compilation; it is reported apart, as what a server's first read costs.
        var first = Stopwatch.StartNew();
        var warm = ReadOnce(path, out _, out _, out _);
        first.Stop();
        var totals = new List<double>();
        var reads = new List<double>();
        var parses = new List<double>();
        var cpus = new List<double>();
        long allocated = 0;
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var doc = ReadOnce(path, out var read, out var parse, out allocated);
            cpus.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
            totals.Add(read + parse);
            reads.Add(read);
            parses.Add(parse);
            GC.KeepAlive(doc);
        }
        totals.Sort();
        cpus.Sort();
        return new Timing(totals[0], totals[totals.Count / 2], reads.Min(), parses.Min(), first.Elapsed.TotalSeconds,
            cpus[cpus.Count / 2], warm.Papers.Length, warm.Problems.Length, allocated);
    }

    /// <summary>The file read (its bytes, or <see cref="ReadText"/> with --text) then BibtexReader.ReadUtf8 (or Read), timed apart.</summary>
    private static LibraryDocument ReadOnce(string path, out double readSeconds, out double parseSeconds, out long parseAllocated)
    {
        var sw = Stopwatch.StartNew();
        var text = _fromText ? ReadText(path) : null;
        var bytes = _fromText ? null : File.ReadAllBytes(path);
        readSeconds = sw.Elapsed.TotalSeconds;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        sw.Restart();
        var doc = text is not null ? BibtexReader.Read(path, text) : BibtexReader.ReadUtf8(path, bytes);
        parseSeconds = sw.Elapsed.TotalSeconds;
        parseAllocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return doc;
    }

    /// <summary>
    /// Reads a UTF-8 file the fast way: all bytes, then one decode. <see cref="File.ReadAllText(string)"/>
    /// decodes through a StreamReader into a StringBuilder and copies again, which on 146 MB costs about
    /// three times as long (the benchmark prints both).
    /// </summary>
    public static string ReadText(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        if (span.StartsWith(Encoding.UTF8.Preamble)) span = span[Encoding.UTF8.Preamble.Length..];
        return Encoding.UTF8.GetString(span);
    }

    private static void ReadAllTextFigure(string path)
    {
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            var sw = Stopwatch.StartNew();
            GC.KeepAlive(File.ReadAllText(path));
            times.Add(sw.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"for comparison, File.ReadAllText alone: best {times.Min() * 1000:F0} ms");
    }

    private static void Report(string what, Timing t, long bytes)
    {
        Console.WriteLine($"{what}: best {t.Best * 1000:F0} ms (read {t.BestRead * 1000:F0} + parse {t.BestParse * 1000:F0}), " +
                          $"median {t.Median * 1000:F0} ms, first run {t.First * 1000:F0} ms; CPU median {t.CpuMedian * 1000:F0} ms; " +
                          $"{t.Papers / t.Best:N0} entries/s, {bytes / 1e6 / t.Best:F0} MB/s; " +
                          $"{t.Papers:N0} papers, {t.Problems} problems; BibtexReader.Read allocates {t.Allocated / 1e6:F0} MB (the text itself is {bytes * 2 / 1e6:F0} MB)");
    }

    private sealed record PandocRun(bool Finished, double Seconds, long? PeakKb, int ExitCode);

    private static void ReportPandoc(string what, PandocRun run, Timing ours)
    {
        var memory = run.PeakKb is { } kb ? $", peak {kb / 1024.0 / 1024.0:F1} GB" : "";
        if (!run.Finished && run.ExitCode == -1)
        {
            Console.WriteLine($"{what}: killed at the timeout after {run.Seconds:F0} s{memory}; ratio > {run.Seconds / ours.Median:F0}x (pandoc time so far / our median)");
            return;
        }
        if (!run.Finished)
        {
            Console.WriteLine($"{what}: failed with exit {run.ExitCode} after {run.Seconds:F1} s{memory}: no comparison");
            return;
        }
        Console.WriteLine($"{what}: {run.Seconds:F1} s (exit {run.ExitCode}){memory}; ratio {run.Seconds / ours.Median:F0}x (pandoc / our median), {run.Seconds / ours.Best:F0}x (pandoc / our best)");
    }

    private static string? PandocVersion()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("pandoc", "--version") { RedirectStandardOutput = true });
            var first = p!.StandardOutput.ReadLine();
            p.WaitForExit();
            return first;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs <c>pandoc -f bibtex -t csljson FILE -o /dev/null</c>, under GNU time when it is installed to
    /// learn the peak memory, and kills it at the timeout.
    /// </summary>
    private static PandocRun Pandoc(string path, TimeSpan timeout, int heapGb)
    {
        var timeTool = File.Exists("/usr/bin/time") ? "/usr/bin/time" : null;
        var memoryFile = Path.GetTempFileName();
        var psi = timeTool is null ? new ProcessStartInfo("pandoc") : new ProcessStartInfo(timeTool);
        if (timeTool is not null)
        {
            foreach (var a in new[] { "-f", "%M", "-o", memoryFile, "pandoc" }) psi.ArgumentList.Add(a);
        }
        // The heap limit keeps pandoc from taking the machine's memory on the whole file; past it,
        // pandoc stops with "heap overflow" and the run counts as not finished.
        foreach (var a in new[] { "+RTS", $"-M{heapGb}g", "-RTS", "-f", "bibtex", "-t", "csljson", path, "-o", "/dev/null" }) psi.ArgumentList.Add(a);
        psi.RedirectStandardError = true;
        Console.WriteLine($"running: pandoc +RTS -M{heapGb}g -RTS -f bibtex -t csljson {path} -o /dev/null (timeout {timeout.TotalSeconds:F0} s)");
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var finished = process.WaitForExit(timeout);
        sw.Stop();
        if (!finished)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        long? peak = null;
        try
        {
            var lines = File.ReadAllLines(memoryFile);
            if (lines.Length > 0 && long.TryParse(lines[^1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb)) peak = kb;
            File.Delete(memoryFile);
        }
        catch (IOException)
        {
        }
        var err = stderr.Result.Trim();
        if (finished && err.Length > 0) Console.WriteLine($"  pandoc said: {err.Split('\n')[0]}");
        var exit = finished ? process.ExitCode : -1;
        return new PandocRun(finished && exit == 0, sw.Elapsed.TotalSeconds, peak, exit);
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }
}
