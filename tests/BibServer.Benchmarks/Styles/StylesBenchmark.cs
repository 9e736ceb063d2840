using System.Diagnostics;
using BibServer.Core.Features;
using BibServer.Core.Libraries;
using BibServer.Core.Notes;
using BibServer.Core.Styles;
using BibServer.Core.Workspace;

namespace BibServer.Benchmarks.Styles;

/// <summary>
/// Issue 15's figures: citeproc-js in Jint, with the shipped styles (the csl/ folder the build writes).
/// Loading the engine and its warm-up (off the request path in the server); the first render of a paper
/// never rendered before (target under 20 ms); a hover once its paper is rendered (target p99 under 5 ms).
/// Papers are real ones, from tests/testdata/corpora/bbt-1436-materials.bib.
///   dotnet run -c Release --project tests/BibServer.Benchmarks -- styles [papers] [style] [best|jint|v8]
/// </summary>
public static class StylesBenchmark
{
    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 300;
        var styleName = args.Length > 1 ? args[1] : CslStyle.DefaultName;
        var runtime = args.Length > 2 ? Enum.Parse<ScriptRuntime>(args[2], ignoreCase: true) : ScriptRuntime.Best;
        var assets = Path.Combine(AppContext.BaseDirectory, "csl");
        var root = FindRoot();
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");

        // The engine's own memory: this process's resident set before the engine, then after each step.
        var rssBefore = Rss();
        var clock = Stopwatch.StartNew();
        var locales = Directory.EnumerateFiles(Path.Combine(assets, "locales"), "locales-*.xml")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f)["locales-".Length..], File.ReadAllText);
        var engine = CslEngine.Load(File.ReadAllText(Path.Combine(assets, "citeproc.js")), locales, runtime);
        var load = clock.Elapsed.TotalMilliseconds;
        var style = CslStyle.Parse(styleName, File.ReadAllText(Path.Combine(assets, "styles", styleName + ".csl"))).Style!;
        clock.Restart();
        engine.WarmUp(style);
        var warmUp = clock.Elapsed.TotalMilliseconds;
        Console.WriteLine($"engine: {engine.Runtime}, load {load:F0} ms, warm-up {warmUp:F0} ms (both in the background in the server, after the first diagnostics)");
        Console.WriteLine($"memory (VmRSS): {rssBefore:F0} MB before the engine, {Rss():F0} MB after its load and warm-up; its heap {engine.HeapSummary ?? "n/a"}");

        var bibPath = Path.Combine(root, "tests", "testdata", "corpora", "bbt-1436-materials.bib");
        var library = LibraryReader.Read(bibPath, File.ReadAllText(bibPath));
        var papers = LibrarySet.Build([library]).Papers.Take(count).ToList();
        var renderer = new ReferenceRenderer(engine);

        var first = new List<double>();
        foreach (var paper in papers)
        {
            clock.Restart();
            renderer.Reference(paper, style, CslEngine.DefaultLocale);
            first.Add(clock.Elapsed.TotalMilliseconds);
        }
        Print($"first render of a paper ({styleName}, {papers.Count} papers)", first);

        // A note citing every paper, one citation a line with a locator; hovers on each after the first pass.
        var text = string.Join("\n", papers.Select((p, i) => $"Line {i} [see @{{{p.Key}}}, p. {i + 1}]."));
        var note = NoteParser.Parse("/bench/note.md", text);
        var state = LibraryState.Empty.With(documents: [library], workspaceLibraries: [bibPath]);
        var snapshot = WorkspaceSnapshot.Empty.WithLibraries(state).WithNotes([note]);
        var options = new HoverOptions(new NoteStyle(renderer, style, CslEngine.DefaultLocale));
        var offsets = note.Citations.Select(c => c.KeySpan.Start + 1).ToList();
        var firstHover = new List<double>();
        foreach (var offset in offsets)
        {
            clock.Restart();
            Hover.Find(snapshot, note.Path, offset, options);
            firstHover.Add(clock.Elapsed.TotalMilliseconds);
        }
        Print("first hover of a citation (reference memoised, in-text form rendered)", firstHover);
        var hovers = new List<double>();
        for (var round = 0; round < 10; round++)
        {
            foreach (var offset in offsets)
            {
                clock.Restart();
                Hover.Find(snapshot, note.Path, offset, options);
                hovers.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        Print("hover once rendered", hovers);
        Console.WriteLine($"memory (VmRSS) after {papers.Count} renders and their hovers: {Rss():F0} MB, the engine's heap {engine.HeapSummary ?? "n/a"}; the peak (VmHWM) {Rss("VmHWM"):F0} MB");
        engine.Collect();
        Console.WriteLine($"after a full collection of the engine's heap: {Rss():F0} MB, its heap {engine.HeapSummary ?? "n/a"}");
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;

        static double Rss(string field = "VmRSS") =>
            File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal)) is { } line
                ? double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024 : double.NaN;
    }

    private static void Print(string what, List<double> times)
    {
        var sorted = times.Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        Console.WriteLine($"{what}: n={sorted.Count} p50 {At(0.5):F2} ms, p90 {At(0.9):F2} ms, p99 {At(0.99):F2} ms, max {sorted[^1]:F2} ms");
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BibServer.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("BibServer.sln not found");
    }
}
