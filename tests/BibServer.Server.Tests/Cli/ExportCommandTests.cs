using System.Text.Json;
using System.Text.RegularExpressions;
using BibServer.Server.Tests.Harness;

namespace BibServer.Server.Tests.Cli;

/// <summary>
/// <c>bibserver export</c> on a mix of libraries (the five seed lists, BibTeX, CSL-JSON, CSL-YAML): what it
/// writes must be a library pandoc accepts, with every exported key resolving and every title rendered.
/// </summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bibserver-export-").FullName;

    private static readonly string[] Inputs =
    [
        .. Directory.GetFiles(TestData.Path("seeds"), "*.txt").Order(StringComparer.Ordinal),
        Path.Combine(TestData.Root, "examples", "classics.bib"),
        TestData.Path("csl", "json", "names.json"),
        TestData.Path("csl", "yaml", "dates.yaml"),
    ];

    [Theory]
    [InlineData("csljson", "library.json")]
    [InlineData("bibtex", "library.bib")]
    public async Task Pandoc_accepts_the_merged_library_and_resolves_every_key(string format, string output)
    {
        var export = await BibServerProcess.RunAsync(_dir, ["export", "--format", format, .. Inputs]);
        Assert.True(export.Code == 0, export.Stderr);
        var library = Path.Combine(_dir, output);
        File.WriteAllText(library, export.Stdout);

        // The keys and titles come from the CSL-JSON export, read back: the same merge in either format.
        var json = format == "csljson" ? export.Stdout : (await BibServerProcess.RunAsync(_dir, ["export", "--format", "csljson", .. Inputs])).Stdout;
        var items = JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(i => (Key: i.GetProperty("id").GetString()!, Title: i.GetProperty("title").GetString()!)).ToList();
        Assert.True(items.Count >= 95 + 1, $"expected the 95 seed papers and more, got {items.Count}");
        Assert.Equal(items.Count, items.Select(i => i.Key).Distinct().Count());

        var note = Path.Combine(_dir, "note.md");
        File.WriteAllText(note, string.Join("\n\n", items.Select(i => $"See [@{i.Key}].")) + "\n");
        var pandoc = await BibServerProcess.RunAsync("/usr/bin/pandoc", ["--citeproc", "--bibliography", library, "-t", "plain", "--wrap=none", note], _dir);

        Assert.True(pandoc.Code == 0, pandoc.Stderr);
        Assert.DoesNotContain("not found", pandoc.Stderr);
        var rendered = Letters(pandoc.Stdout);
        var missing = items.Where(i => !rendered.Contains(Letters(i.Title))).Select(i => i.Key).ToList();
        Assert.True(missing.Count == 0, $"titles not rendered by pandoc for: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task Problems_go_to_standard_error_with_file_line_and_column()
    {
        var damaged = Path.Combine(_dir, "damaged.bib");
        File.WriteAllText(damaged, "@article{ok1, title={Fine}}\n@article{bad, title = {Unclosed, year=2020}\n@article{ok2, title={Also fine}}\n");

        var export = await BibServerProcess.RunAsync(_dir, "export", "damaged.bib");

        Assert.Equal(0, export.Code);
        Assert.Matches(new Regex(@"^damaged\.bib:2:\d+: error: .*`bad`"), Assert.Single(export.StderrLines));
        var keys = JsonDocument.Parse(export.Stdout).RootElement.EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        // The entries around the damage are whole; the damaged one is kept as far as it could be read.
        Assert.Contains("ok1", keys);
        Assert.Contains("ok2", keys);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_reported_and_the_exit_code_says_so()
    {
        var export = await BibServerProcess.RunAsync(_dir, "export", "nowhere.bib");
        Assert.Equal(2, export.Code);
        Assert.Contains("nowhere.bib: error: cannot read this file", export.Stderr);
    }

    /// <summary>Letters and digits only, lower case: citeproc changes quotes, dashes, case and math markup.</summary>
    private static string Letters(string text) => new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
