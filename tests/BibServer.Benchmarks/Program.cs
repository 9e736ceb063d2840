using BibServer.Benchmarks.Bibtex;
using BibServer.Benchmarks.Navigation;

namespace BibServer.Benchmarks;

/// <summary>
/// Runs the benchmarks named on the command line: <c>dotnet run -c Release --project tests/BibServer.Benchmarks -- bibtex</c>.
/// Each benchmark prints its own figures; docs/benchmarks.md records them. To add one, add a line to
/// <see cref="Benchmarks"/>: arguments after the name go to the benchmark.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, (string Summary, Func<string[], int> Run)> Benchmarks =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["bibtex"] = ("BibtexReader.Read on a generated 100,000-entry library, against pandoc", BibtexBenchmark.Run),
            ["navigation"] = ("references, rename, code lens and a keystroke on 2,000 notes citing 100,000 times", NavigationBenchmark.Run),
            ["styles"] = ("citeproc-js in Jint: engine load, first render of a paper, hover once rendered", Styles.StylesBenchmark.Run),
            ["zotero"] = ("reading a 20,000-item Zotero database (real schema, recent writes in the log) as the server does", Zotero.ZoteroBenchmark.Run),
            ["memory"] = ("where a 100,000-paper library's memory goes, stage by stage as the server loads it", Memory.MemoryBenchmark.Run),
            ["lsp"] = ("the server process over JSON-RPC: start-up, completion, hover, keystroke diagnostics, memory", Lsp.LspBenchmark.Run),
        };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
        {
            Console.WriteLine("usage: dotnet run -c Release --project tests/BibServer.Benchmarks -- NAME [options]");
            Console.WriteLine();
            foreach (var (name, (summary, _)) in Benchmarks) Console.WriteLine($"  {name,-12} {summary}");
            return args.Length == 0 ? 2 : 0;
        }
        if (!Benchmarks.TryGetValue(args[0], out var benchmark))
        {
            Console.Error.WriteLine($"unknown benchmark `{args[0]}`; known: {string.Join(", ", Benchmarks.Keys)}");
            return 2;
        }
        return benchmark.Run(args[1..]);
    }
}
