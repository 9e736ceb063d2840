using System.Diagnostics;
using System.Globalization;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Bibtex;

namespace BibServer.Benchmarks.Bibtex;

/// <summary>
/// Times <see cref="BibtexReader.Read"/> (file read plus parse) on a generated library and pandoc on the
/// same file. Options: --entries N (100000), --runs N (7), --prefix N (10000, the entries given to pandoc
/// when the whole file is too slow for it), --pandoc-timeout SECONDS (600), --no-pandoc, --keep, --seed N.
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
        var withPandoc = !args.Contains("--no-pandoc");
        var keep = args.Contains("--keep");

        var dir = Directory.CreateTempSubdirectory("bibserver-bench-");
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, server GC: {System.Runtime.GCSettings.IsServerGC}");
            var path = Path.Combine(dir.FullName, $"generated-{entries}.bib");
            var sw = Stopwatch.StartNew();
            BibtexCorpusGenerator.Write(path, entries, seed);
            var bytes = new FileInfo(path).Length;
            Console.WriteLine($"generated {entries:N0} entries (seed {seed}), {bytes / 1e6:F1} MB, in {sw.Elapsed.TotalSeconds:F1} s: {path}");

            var ours = Measure(path, runs);
            Report($"BibtexReader.Read, {entries:N0} entries", ours, bytes);

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
                var pandocPrefix = Pandoc(prefixPath, timeout);
                ReportPandoc($"pandoc, {prefix:N0}-entry prefix", pandocPrefix, oursPrefix);
            }
            var pandocAll = Pandoc(path, timeout);
            ReportPandoc($"pandoc, {entries:N0} entries", pandocAll, ours);
            return 0;
        }
        finally
        {
            if (keep) Console.WriteLine($"kept {dir.FullName}");
            else dir.Delete(recursive: true);
        }
    }

    private sealed record Timing(double Best, double Median, int Papers, int Problems, long Allocated);

    private static Timing Measure(string path, int runs)
    {
        // The first run pays for JIT compilation and is not counted.
        var warm = ReadOnce(path);
        var times = new List<double>();
        long allocated = 0;
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            var doc = ReadOnce(path);
            sw.Stop();
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            times.Add(sw.Elapsed.TotalSeconds);
            GC.KeepAlive(doc);
        }
        times.Sort();
        return new Timing(times[0], times[times.Count / 2], warm.Papers.Length, warm.Problems.Length, allocated);
    }

    private static LibraryDocument ReadOnce(string path) => BibtexReader.Read(path, File.ReadAllText(path));

    private static void Report(string what, Timing t, long bytes)
    {
        Console.WriteLine($"{what}: best {t.Best * 1000:F0} ms, median {t.Median * 1000:F0} ms; " +
                          $"{t.Papers / t.Best:N0} entries/s, {bytes / 1e6 / t.Best:F0} MB/s; " +
                          $"{t.Papers:N0} papers, {t.Problems} problems; {t.Allocated / 1e6:F0} MB allocated per run");
    }

    private sealed record PandocRun(bool Finished, double Seconds, long? PeakKb, int ExitCode);

    private static void ReportPandoc(string what, PandocRun run, Timing ours)
    {
        var memory = run.PeakKb is { } kb ? $", peak {kb / 1024.0 / 1024.0:F1} GB" : "";
        if (!run.Finished)
        {
            Console.WriteLine($"{what}: did not finish within {run.Seconds:F0} s (killed){memory}; ratio > {run.Seconds / ours.Median:F0}x (pandoc timeout / our median)");
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
    private static PandocRun Pandoc(string path, TimeSpan timeout)
    {
        var timeTool = File.Exists("/usr/bin/time") ? "/usr/bin/time" : null;
        var memoryFile = Path.GetTempFileName();
        var psi = timeTool is null ? new ProcessStartInfo("pandoc") : new ProcessStartInfo(timeTool);
        if (timeTool is not null)
        {
            foreach (var a in new[] { "-f", "%M", "-o", memoryFile, "pandoc" }) psi.ArgumentList.Add(a);
        }
        foreach (var a in new[] { "-f", "bibtex", "-t", "csljson", path, "-o", "/dev/null" }) psi.ArgumentList.Add(a);
        psi.RedirectStandardError = true;
        Console.WriteLine($"running: pandoc -f bibtex -t csljson {path} -o /dev/null (timeout {timeout.TotalSeconds:F0} s)");
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
        return new PandocRun(finished, sw.Elapsed.TotalSeconds, peak, finished ? process.ExitCode : -1);
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }
}
