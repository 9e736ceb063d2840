using System.Text.Json;
using BibServer.Core.Export;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Bibtex;
using BibServer.Core.Libraries.Csl;
using Xunit.Abstractions;
using YamlDotNet.Serialization;

namespace BibServer.Core.Tests.Csl;

/// <summary>
/// Single-point damage to a 60-item library costs at most the references it touches: every line of a real
/// CSL-JSON export (and of the same references as CSL-YAML) is in turn written twice, deleted, or given a
/// stray <c>@</c>, and every reference whose lines the damage does not touch must still be read, with the
/// damage reported at its line. Before the readers resumed at the next item, a duplicated third line cost
/// all 60 references.
/// </summary>
public sealed class CslDamageTests(ITestOutputHelper output)
{
    private const int Items = 60;


    private static string Json { get; } = CslJsonWriter.Write(
        LibrarySet.Build([BibtexReader.Read("bbt.bib", TestData.Read("corpora", "bbt-1296-library.bib"))]).Papers.Take(Items));

    /// <summary>The same references as CSL-YAML, block style, the way pandoc and hand-written files hold them.</summary>
    private static string Yaml { get; } = new SerializerBuilder().Build().Serialize(ToPlain(JsonDocument.Parse(Json).RootElement));

    private static object? ToPlain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => e.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ToPlain(p.Value)),
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var format in new[] { "json", "yaml" })
            foreach (var mutation in new[] { "duplicate", "delete", "stray-at" })
                data.Add(format, mutation);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Damage_costs_only_the_references_it_touches(string format, string mutation)
    {
        var text = format == "json" ? Json : Yaml;
        LibraryDocument Read(string t) => format == "json" ? CslJsonReader.Read("lib.json", t) : CslYamlReader.Read("lib.yaml", t);
        var whole = Read(text);
        Assert.Empty(whole.Problems.Where(p => p.Code.EndsWith("-syntax", StringComparison.Ordinal)));
        Assert.Equal(Items, whole.Papers.Length);
        // Each reference's lines (zero-based, first and last) in the undamaged text.
        var lineStarts = LineStarts(text);
        var ranges = whole.Papers.Select(p => (p.Key, First: LineOf(lineStarts, p.Location.Span.Start), Last: LineOf(lineStarts, p.Location.Span.End - 1))).ToList();

        var lines = text.Split('\n');
        int mutations = 0, withSyntaxError = 0, lost = 0;
        var failures = new List<string>();
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var damaged = lines.ToList();
            switch (mutation)
            {
                case "duplicate": damaged.Insert(i, lines[i]); break;
                case "delete": damaged.RemoveAt(i); break;
                default: damaged[i] = "@" + lines[i]; break;
            }
            mutations++;
            var read = Read(string.Join('\n', damaged));
            var keys = read.Papers.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            // The lines the damage touches: the damaged one and, for a deletion, the two it joins.
            var untouched = ranges.Where(r => r.Last < i - 1 || r.First > i + 1).ToList();
            var missing = untouched.Where(r => !keys.Contains(r.Key)).Select(r => r.Key).ToList();
            lost += Items - read.Papers.Length;
            if (missing.Count > 0)
                failures.Add($"{mutation} line {i + 1}: lost {missing.Count} untouched references ({string.Join(", ", missing.Take(3))})");

            var syntax = read.Problems.Where(p => p.Code.EndsWith("-syntax", StringComparison.Ordinal)).ToList();
            if (syntax.Count == 0) continue;
            withSyntaxError++;
            var at = LineOf(LineStarts(read.Text), syntax[0].Span.Start);
            // The damaged line is line i of the damaged text (the copy, for a duplicate: line i + 1). Damage
            // that leaves the text well-formed for a while (a duplicated `"issued": {` opens an object that
            // swallows the rest of the reference) shows where the reference it is in ends.
            var low = mutation == "delete" ? i - 1 : i;
            var itemEnd = ranges.Where(r => r.First <= i && r.Last >= i).Select(r => r.Last).DefaultIfEmpty(i).Max();
            var high = Math.Max(mutation == "duplicate" ? i + 2 : i + 1, itemEnd + 2);
            if (at < low || at > high)
                failures.Add($"{mutation} line {i + 1}: damage reported at line {at + 1}, not near line {i + 1}");
        }
        output.WriteLine($"{format} {mutation}: {mutations} mutations, {withSyntaxError} with a syntax error, {lost} references lost in all ({(double)lost / mutations:F2} a mutation)");
        // Block YAML takes a line written twice as a key given twice (a warning), never as broken syntax.
        if ((format, mutation) != ("yaml", "duplicate"))
            Assert.True(withSyntaxError > mutations / 10, $"only {withSyntaxError} of {mutations} mutations broke the syntax: the test damages too little");
        Assert.True(failures.Count == 0, $"{failures.Count} of {mutations} mutations:\n" + string.Join("\n", failures.Take(20)));
    }

    /// <summary>Resuming never loops or throws: the fixtures and the 60-item library with random structural damage.</summary>
    [Fact]
    public void Random_damage_never_throws()
    {
        const string structural = "{}[]\",:@-#'\n \\|>&*";
        var random = new Random(14);
        var texts = Directory.GetFiles(TestData.Path("csl", "json"), "*.json")
            .Concat(Directory.GetFiles(TestData.Path("csl", "yaml"), "*.yaml"))
            .Order(StringComparer.Ordinal)
            .Select(f => (Json: f.EndsWith(".json", StringComparison.Ordinal), Text: File.ReadAllText(f)))
            .Append((true, Json)).Append((false, Yaml)).ToArray();
        var read = 0;
        for (var round = 0; round < 2000; round++)
        {
            var (json, text) = texts[round % texts.Length];
            var sb = new System.Text.StringBuilder(text);
            for (var edit = random.Next(1, 8); edit > 0 && sb.Length > 0; edit--)
            {
                var at = random.Next(sb.Length);
                if (random.Next(2) == 0) sb.Insert(at, structural[random.Next(structural.Length)]);
                else sb.Remove(at, 1);
            }
            var damaged = sb.ToString();
            var document = json ? CslJsonReader.Read("fuzz.json", damaged) : CslYamlReader.Read("fuzz.yaml", damaged);
            foreach (var p in document.Papers)
                Assert.True(p.Location.Span.Start >= 0 && p.Location.Span.End <= damaged.Length, $"round {round}: a span outside the text");
            foreach (var p in document.Problems)
                Assert.True(p.Span.Start >= 0 && p.Span.End <= damaged.Length, $"round {round}: a problem outside the text");
            read++;
        }
        Assert.Equal(2000, read);
    }

    private static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        return starts;
    }

    private static int LineOf(List<int> starts, int offset)
    {
        var i = starts.BinarySearch(offset);
        return i >= 0 ? i : ~i - 1;
    }
}
