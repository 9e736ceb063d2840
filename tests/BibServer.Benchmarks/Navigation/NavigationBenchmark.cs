using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using BibServer.Conversion;
using BibServer.Core.Features;
using BibServer.Core.Workspace;
using BibServer.Loading;
using BibServer.Server;
using BibServer.Documents;

namespace BibServer.Benchmarks.Navigation;

/// <summary>
/// Times find-references, rename and code lens on a generated workspace (2,000 notes citing 100,000 times
/// from a 20,000-paper BibTeX library, loaded by the server's own loading code), and what a keystroke in
/// one note costs with that workspace. Key popularity follows Zipf's law, as real citations do, so one key
/// is cited thousands of times and most a handful. Options: --notes N (2000), --citations N (100000),
/// --papers N (20000), --runs N (200), --seed N, --keep.
/// </summary>
public static class NavigationBenchmark
{
    public static int Run(string[] args)
    {
        var notes = IntOption(args, "--notes", 2_000);
        var citations = IntOption(args, "--citations", 100_000);
        var papers = IntOption(args, "--papers", 20_000);
        var runs = IntOption(args, "--runs", 200);
        var seed = IntOption(args, "--seed", 2025);
        var keep = args.Contains("--keep");

        var dir = Directory.CreateTempSubdirectory("bibserver-nav-bench-");
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, server GC: {System.Runtime.GCSettings.IsServerGC}");
            // The figures are the server's work, so they should be taken with its collector: its tails are the
            // collector's pauses. The benchmark project turns background collection off (for bibtex).
            var gc = GC.GetConfigurationVariables();
            var concurrent = gc.TryGetValue("ConcurrentGC", out var c) && c is true;
            var conserve = gc.TryGetValue("GCConserveMem", out var m) ? Convert.ToInt64(m, System.Globalization.CultureInfo.InvariantCulture) : 0;
            Console.WriteLine($"collector: background {(concurrent ? "on" : "off")}, conserve memory {conserve}" + (concurrent && conserve == 7 ? " (as the language server runs)"
                : "; the language server runs with background collection on and conserve memory 7: for its figures run with DOTNET_gcConcurrent=1 DOTNET_GCConserveMemory=7"));
            var sw = Stopwatch.StartNew();
            var keys = Generate(dir.FullName, notes, citations, papers, seed);
            Console.WriteLine($"generated {papers:N0} papers, {notes:N0} notes, {citations:N0} citations (seed {seed}) in {sw.Elapsed.TotalSeconds:F1} s: {dir.FullName}");

            sw.Restart();
            var (workspace, source) = WorkspaceLoader.Load([dir.FullName], []);
            Console.WriteLine($"loaded through WorkspaceLoader.Load ({source}): {workspace.Libraries.Workspace.Papers.Length:N0} papers, {workspace.Notes.Count:N0} notes, " +
                              $"{workspace.Notes.Values.Sum(n => n.Citations.Length):N0} citations in {sw.Elapsed.TotalSeconds:F1} s");

            // The popular key is the most cited; the average key is one cited about as often as the mean.
            var uses = keys.Select(k => (Key: k, Use: References.UseOf(workspace, k))).ToList();
            var popular = uses.MaxBy(u => u.Use.Citations);
            var mean = (double)citations / papers;
            var average = uses.Where(u => u.Use.Citations > 0).MinBy(u => Math.Abs(u.Use.Citations - mean));
            Console.WriteLine($"popular key `{popular.Key}`: {popular.Use.Describe()}; average key `{average.Key}`: {average.Use.Describe()} (mean {mean:F1})");

            var (notePath, popularOffset) = FirstCitation(workspace, popular.Key);
            var (averagePath, averageOffset) = FirstCitation(workspace, average.Key);
            var library = workspace.Libraries.WorkspaceLibraries[0];

            // The first question after loading groups every note's citations by key: paid once.
            var cold = Time(() => References.Find(workspace, notePath, popularOffset, includeDeclaration: true).Length);
            Console.WriteLine($"first references request after loading (groups every note's citations once): {cold.Milliseconds:F1} ms, {cold.Result:N0} locations");

            Report("References.Find, popular key", Measure(runs, () => References.Find(workspace, notePath, popularOffset, true).Length));
            Report("References.Find, average key", Measure(runs, () => References.Find(workspace, averagePath, averageOffset, true).Length));
            Report("references handler's LSP locations, popular key", Measure(runs, () =>
                ToProto.Locations(workspace, References.Find(workspace, notePath, popularOffset, true)).Length));
            Report("references answer as JSON (find, LSP locations, System.Text.Json), popular key", Measure(runs, () =>
                Json(ToProto.Locations(workspace, References.Find(workspace, notePath, popularOffset, true)))));
            Report("Rename.Edits, popular key", Measure(runs, () => Rename.Edits(workspace, notePath, popularOffset, "renamed2025key").Value!.Length));
            Report("Rename.Edits, average key", Measure(runs, () => Rename.Edits(workspace, averagePath, averageOffset, "renamed2025key").Value!.Length));
            Report("rename handler's WorkspaceEdit, popular key", Measure(runs, () =>
                ToProto.WorkspaceEdit(workspace, Rename.Edits(workspace, notePath, popularOffset, "renamed2025key").Value!).Changes!.Count));
            Report("rename answer as JSON (edits, WorkspaceEdit, System.Text.Json), popular key", Measure(runs, () =>
                Json(ToProto.WorkspaceEdit(workspace, Rename.Edits(workspace, notePath, popularOffset, "renamed2025key").Value!))));
            Report($"CodeLens.Find on the {papers:N0}-entry library", Measure(runs, () => CodeLens.Find(workspace, library).Length));

            // A keystroke in an open note: the buffer's text changes, the note is parsed again and a new
            // snapshot made (what WorkspaceChanges.WithOpenDocument does for every didChange).
            var uri = DocumentUris.FromPath(notePath);
            var text = workspace.Note(notePath)!.Text;
            var version = 1;
            WorkspaceSnapshot Keystroke(WorkspaceSnapshot current)
            {
                version++;
                var typed = text.Insert(text.Length, new string('x', version % 7 + 1));
                return WorkspaceChanges.WithOpenDocument(current, OpenDocument.Create(uri, version, typed, "markdown"));
            }
            Report("keystroke: parse the note and make the next snapshot", Measure(runs, () => Keystroke(workspace).Notes.Count));
            Report("keystroke, then References.Find, popular key", Measure(runs, () => References.Find(Keystroke(workspace), notePath, popularOffset, true).Length));
            Report("keystroke, then Rename.Edits, popular key", Measure(runs, () => Rename.Edits(Keystroke(workspace), notePath, popularOffset, "renamed2025key").Value!.Length));
            Report("keystroke, then CodeLens.Find (sums every key's uses again)", Measure(runs, () => CodeLens.Find(Keystroke(workspace), library).Length));

            // Coverage and annotations (docs/annotations.md): the papers no note cites, and a hover's passages.
            var coldHover = System.Diagnostics.Stopwatch.StartNew();
            var firstHover = Hover.Find(workspace, notePath, popularOffset)!.Markdown.Length;
            Console.WriteLine($"first hover with annotations after loading (finds the passages of every note citing the key): {coldHover.Elapsed.TotalMilliseconds:F1} ms, {firstHover:N0} characters");
            Report($"Coverage.Uncited, {papers:N0} papers and {notes:N0} notes", Measure(runs, () => Core.Annotations.Coverage.Uncited(workspace).Length));
            Report("keystroke, then Coverage.Uncited", Measure(runs, () => Core.Annotations.Coverage.Uncited(Keystroke(workspace)).Length));
            Report("Hover.Find with annotations, popular key", Measure(runs, () => Hover.Find(workspace, notePath, popularOffset)!.Markdown.Length));
            Report("keystroke, then Hover.Find with annotations, popular key", Measure(runs, () => Hover.Find(Keystroke(workspace), notePath, popularOffset)!.Markdown.Length));
            return 0;
        }
        finally
        {
            if (keep) Console.WriteLine($"kept {dir.FullName}");
            else dir.Delete(recursive: true);
        }
    }

    private static (string Path, int Offset) FirstCitation(WorkspaceSnapshot workspace, string key)
    {
        foreach (var note in workspace.Notes.Values.OrderBy(n => n.Path, StringComparer.Ordinal))
            foreach (var c in note.Citations)
                if (c.Key == key) return (note.Path, c.KeySpan.Start + 1);
        throw new InvalidOperationException($"`{key}` is not cited.");
    }

    /// <summary>
    /// Writes refs.bib, bibserver.yaml and the notes. Each citation's key is drawn from a Zipf distribution
    /// over the papers (rank r has weight 1/r), in the forms people write: <c>[@k]</c>, <c>@k</c>,
    /// <c>[see @a; @b, p. 3]</c>, <c>[-@k]</c>.
    /// </summary>
    private static ImmutableArray<string> Generate(string root, int notes, int citations, int papers, int seed)
    {
        var random = new Random(seed);
        string[] names = ["smith", "umar", "laio", "zhu", "wu", "town", "müller", "garcia", "chen", "wang", "kim", "okafor", "rossi", "dubois", "tanaka"];
        string[] words = ["signal", "noise", "alignment", "sparse", "reward", "learning", "deep", "networks", "bias", "implicit", "rotary", "position", "safety", "tokens", "scaling", "laws"];
        var keys = ImmutableArray.CreateBuilder<string>(papers);
        var bib = new StringBuilder();
        for (var i = 0; i < papers; i++)
        {
            var name = names[random.Next(names.Length)];
            var year = 1990 + random.Next(36);
            var word = words[random.Next(words.Length)];
            var key = $"{TextKey(name)}{year}{word}{i}";
            keys.Add(key);
            bib.Append($"@article{{{key},\n  author = {{{Capital(name)}, Ann and {Capital(names[random.Next(names.Length)])}, Bo}},\n")
               .Append($"  title = {{{Capital(word)} and {words[random.Next(words.Length)]} in {words[random.Next(words.Length)]} models, part {i}}},\n")
               .Append($"  journal = {{Journal of {Capital(words[random.Next(words.Length)])}}},\n  year = {{{year}}}\n}}\n\n");
        }
        File.WriteAllText(Path.Combine(root, "refs.bib"), bib.ToString());
        File.WriteAllText(Path.Combine(root, WorkspaceConfig.FileName), "libraries:\n  - refs.bib\n");

        // Zipf: the cumulative weights of ranks 1..papers, searched with a uniform draw.
        var cumulative = new double[papers];
        var sum = 0.0;
        for (var r = 0; r < papers; r++) cumulative[r] = sum += 1.0 / (r + 1);
        string Draw()
        {
            var at = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            return keys[Math.Min(at < 0 ? ~at : at, papers - 1)];
        }

        Directory.CreateDirectory(Path.Combine(root, "notes"));
        var perNote = citations / notes;
        for (var n = 0; n < notes; n++)
        {
            var count = perNote + (n < citations % notes ? 1 : 0);
            var sb = new StringBuilder($"---\ntitle: Note {n}\n---\n\n# Reading notes {n}\n\n");
            var written = 0;
            var line = 0;
            while (written < count)
            {
                if (line++ % 10 == 0) sb.Append($"## Section {line / 10}\n\n");
                sb.Append("The results on ").Append(words[random.Next(words.Length)]).Append(" agree with earlier work ");
                switch (count - written >= 2 ? random.Next(4) : 0)
                {
                    case 0:
                        sb.Append($"[@{Draw()}]");
                        written++;
                        break;
                    case 1:
                        sb.Append($"as @{Draw()} show");
                        written++;
                        break;
                    case 2:
                        sb.Append($"[see @{Draw()}; @{Draw()}, p. {random.Next(1, 400)}]");
                        written += 2;
                        break;
                    default:
                        sb.Append($"[-@{Draw()}; also @{Draw()}]");
                        written += 2;
                        break;
                }
                sb.Append(", which the ").Append(words[random.Next(words.Length)]).Append(" experiments confirm.\n\n");
            }
            File.WriteAllText(Path.Combine(root, "notes", $"note{n:D4}.md"), sb.ToString());
        }
        return keys.ToImmutable();
    }

    /// <summary>
    /// Writes an answer as JSON the way the server does, streamed (StreamJsonRpc writes to the pipe through a
    /// buffer), and returns its length; a byte array of the whole answer would measure large-object heap
    /// allocations the server does not make.
    /// </summary>
    private static int Json<T>(T value)
    {
        using var counter = new CountingStream();
        System.Text.Json.JsonSerializer.Serialize(counter, value, Protocol.LspJson.Options);
        return (int)counter.Length;
    }

    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }

    private static string TextKey(string name) => name.Replace("ü", "u");

    private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private sealed record Figures(double P50, double P99, double Max, int Result, int Gen0, int Gen1, int Gen2, double AllocatedMb);

    private static (double Milliseconds, int Result) Time(Func<int> action)
    {
        var sw = Stopwatch.StartNew();
        var result = action();
        return (sw.Elapsed.TotalMilliseconds, result);
    }

    /// <summary>
    /// Warms up, then times each run. The warm-up calls the action often enough (over 30 times) for tiered
    /// compilation to recompile its hot methods, and waits for that background compilation, since a server
    /// that has run for a while runs that code; it also fills the memo tables.
    /// </summary>
    private static Figures Measure(int runs, Func<int> action)
    {
        var result = 0;
        for (var i = 0; i < Math.Max(60, runs / 10); i++) result = action();
        Thread.Sleep(500);
        for (var i = 0; i < 5; i++) result = action();
        var times = new double[runs];
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            result = action();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        var perRun = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6 / runs;
        (gen0, gen1, gen2) = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
        Array.Sort(times);
        return new Figures(times[(runs - 1) / 2], times[Math.Max(0, (int)Math.Ceiling(runs * 0.99) - 1)], times[^1], result, gen0, gen1, gen2, perRun);
    }

    private static void Report(string what, Figures f) =>
        Console.WriteLine($"{what}: p50 {f.P50:F2} ms, p99 {f.P99:F2} ms, max {f.Max:F2} ms ({f.Result:N0}); " +
                          $"{f.AllocatedMb:F1} MB allocated per run, GCs gen0/1/2 {f.Gen0}/{f.Gen1}/{f.Gen2}");

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }
}
