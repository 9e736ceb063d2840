using System.Diagnostics;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Zotero;
using BibServer.Core.Tests.Zotero;
using BibServer.Loading;

namespace BibServer.Benchmarks.Zotero;

/// <summary>
/// Reads a generated Zotero library as the server does (<see cref="ZoteroFiles.Read"/>: the private copy of the
/// database and its log, the log applied, the bytes read in memory by <see cref="ZoteroReader"/>), then merges
/// and indexes it as a workspace library. The database has the real schema and what a real library has:
/// creators, dates, abstracts, Extra lines, PDFs, highlights and notes, a third of the keys from Zotero's
/// citationKey field, and the last writes only in the write-ahead log (Zotero's connection kept open).
/// Options: --items N (20000), --runs N (7), --log N (items written last, only in the log: 500), --seed N.
/// </summary>
public static class ZoteroBenchmark
{
    public static int Run(string[] args)
    {
        var items = IntOption(args, "--items", 20_000);
        var runs = IntOption(args, "--runs", 7);
        var inLog = Math.Min(IntOption(args, "--log", 500), items);
        var seed = IntOption(args, "--seed", 11);
        var dir = Directory.CreateTempSubdirectory("bibserver-zotero-bench-");
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; load {File.ReadAllText("/proc/loadavg").Trim()}");
            var path = Path.Combine(dir.FullName, "Zotero", "zotero.sqlite");
            var clock = Stopwatch.StartNew();
            using var zotero = ZoteroDatabase.Create(path, wal: true, seed: seed);
            var random = new Random(seed);
            zotero.InTransaction(() => Fill(zotero, random, 0, items - inLog));
            zotero.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
            zotero.Execute("PRAGMA wal_autocheckpoint = 0");
            zotero.InTransaction(() => Fill(zotero, random, items - inLog, items));
            Console.WriteLine($"generated {items:N0} items ({inLog} written last, only in the log) in {clock.Elapsed.TotalSeconds:F1} s: "
                              + $"zotero.sqlite {new FileInfo(path).Length / 1e6:F1} MB, zotero.sqlite-wal {new FileInfo(path + "-wal").Length / 1e6:F1} MB");

            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", Path.Combine(dir.FullName, "cache"));
            var read = new List<double>();
            var readCpu = new List<double>();
            using var self = Process.GetCurrentProcess();
            var core = new List<double>();
            var merge = new List<double>();
            LibraryDocument? document = null;
            for (var run = 0; run < runs + 1; run++)
            {
                self.Refresh();
                var cpuBefore = self.TotalProcessorTime;
                clock.Restart();
                document = ZoteroFiles.Read(path)!;
                var t = clock.Elapsed.TotalMilliseconds;
                self.Refresh();
                var cpu = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds;
                clock.Restart();
                var set = LibrarySet.Build([document]);
                Core.Features.Search.PaperIndex.Of(set);
                var m = clock.Elapsed.TotalMilliseconds;
                var bytes = File.ReadAllBytes(path);
                clock.Restart();
                ZoteroReader.Read(path, bytes);
                var c = clock.Elapsed.TotalMilliseconds;
                // The first run compiles the code: it is shown, not counted.
                if (run == 0)
                {
                    Console.WriteLine($"first run (JIT): read {t:F0} ms, merge and index {m:F0} ms");
                    continue;
                }
                read.Add(t);
                readCpu.Add(cpu);
                merge.Add(m);
                core.Add(c);
            }
            if (document!.Papers.Length != items) throw new InvalidOperationException($"read {document.Papers.Length} papers, expected {items}");
            Console.WriteLine($"papers read: {document.Papers.Length:N0}; {document.Summary}");
            Report("ZoteroFiles.Read (copy with log, apply log, read in memory)", read);
            Report("  its CPU time (both cores, collector included)", readCpu);
            Report("ZoteroReader.Read on the bytes (the database file alone, no log)", core);
            Report("LibrarySet.Build + PaperIndex (merge and index as a workspace)", merge);
            Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            Directory.Delete(dir.FullName, recursive: true);
        }
    }

    /// <summary>
    /// Words made of syllables, a few thousand of them: titles and names as varied as a real library's, so that
    /// generated keys collide about as often as they do there (a handful of words would make every key collide).
    /// </summary>
    private static readonly string[] Words = MakeWords(4000, 7);

    private static readonly string[] Families = [.. MakeWords(3000, 8).Select(w => char.ToUpperInvariant(w[0]) + w[1..])];

    private static string[] MakeWords(int count, int seed)
    {
        string[] syllables = ["ka", "lo", "mi", "ren", "sa", "to", "vi", "dor", "el", "fa", "gu", "ha", "in", "jo", "ku", "lem", "nor", "pa", "qui", "ros", "tal", "u", "ver", "zo"];
        var random = new Random(seed);
        var words = new HashSet<string>();
        while (words.Count < count) words.Add(string.Concat(Enumerable.Range(0, 2 + random.Next(3)).Select(_ => syllables[random.Next(syllables.Length)])));
        return [.. words];
    }

    private static readonly string[] Givens = ["Ada", "Alan", "Grace", "Wei", "Amara", "Jan", "Yuki", "Luca", "Chloé", "Olga", "Min", "Ravi"];

    private static void Fill(ZoteroDatabase zotero, Random random, int from, int to)
    {
        string[] types = ["journalArticle", "conferencePaper", "preprint", "book", "bookSection", "thesis", "report"];
        for (var i = from; i < to; i++)
        {
            var title = string.Join(' ', Enumerable.Range(0, 4 + random.Next(8)).Select(_ => Words[random.Next(Words.Length)]));
            title = char.ToUpperInvariant(title[0]) + title[1..] + $" {i}";
            var creators = Enumerable.Range(0, 1 + random.Next(5))
                .Select(_ => new ZoteroDatabase.Creator(Givens[random.Next(Givens.Length)], Families[random.Next(Families.Length)])).ToList();
            var year = 1990 + random.Next(36);
            var fields = new Dictionary<string, string>
            {
                ["date"] = random.Next(3) == 0 ? $"{year}-00-00 {year}" : $"{year}-{1 + random.Next(12):D2}-00 {1 + random.Next(12)}/{year}",
                ["abstractNote"] = string.Join(' ', Enumerable.Range(0, 120 + random.Next(120)).Select(_ => Words[random.Next(Words.Length)])),
                ["url"] = $"https://example.org/paper/{i}",
                ["DOI"] = $"10.1234/bench.{i}",
                ["volume"] = (1 + random.Next(60)).ToString(),
                ["pages"] = $"{random.Next(500)}-{500 + random.Next(500)}",
            };
            var type = types[random.Next(types.Length)];
            if (type is "journalArticle") fields["publicationTitle"] = "Journal of " + Words[random.Next(Words.Length)];
            if (i % 3 == 0) fields["citationKey"] = $"key{i}";
            if (i % 5 == 0) fields["extra"] = $"arXiv: {2000 + i % 999}.{i % 100000:D5}";
            var (id, _) = zotero.AddItem(type, title, creators, fields);
            if (i % 5 < 2)
            {
                var (pdf, _) = zotero.AddAttachment(id, $"storage:{i}.pdf");
                if (i % 5 == 0)
                {
                    zotero.AddAnnotation(pdf, "a highlighted sentence about " + Words[random.Next(Words.Length)], comment: "why it matters", page: "3", sortIndex: "00002|000100|00000");
                    zotero.AddAnnotation(pdf, "another highlight", page: "7", sortIndex: "00006|000100|00000");
                }
            }
            if (i % 10 == 0) zotero.AddNote(id, $"<p>Reading note on item {i}.</p>");
        }
    }

    private static void Report(string what, List<double> ms)
    {
        ms.Sort();
        Console.WriteLine($"{what}: median {ms[ms.Count / 2]:F0} ms, min {ms[0]:F0} ms, max {ms[^1]:F0} ms ({ms.Count} runs)");
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
    }
}
