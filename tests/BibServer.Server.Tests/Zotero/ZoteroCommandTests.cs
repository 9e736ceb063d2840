using System.Diagnostics;
using System.Text.Json;
using BibServer.Core.Tests.Zotero;
using BibServer.Server.Tests.Harness;

namespace BibServer.Server.Tests.Zotero;

/// <summary>
/// <c>bibserver export</c> and <c>bibserver check</c> on Zotero databases, run as a user runs them: pandoc accepts
/// what export writes from the real control database, and <c>zotero: true</c> finds the database of
/// <c>ZOTERO_DATA_DIR</c>.
/// </summary>
public sealed class ZoteroCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bibserver-zotero-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("csljson", "library.json")]
    [InlineData("bibtex", "library.bib")]
    public async Task Pandoc_accepts_the_export_of_the_real_database_and_renders_every_title(string format, string output)
    {
        var database = TestData.Path("zotero", "zotero-6-control", "zotero.sqlite");
        var export = await BibServerProcess.RunAsync(_dir, "export", "--format", format, database);
        Assert.True(export.Code == 0, export.Stderr);
        Assert.Equal("", export.Stderr);
        var library = Path.Combine(_dir, output);
        File.WriteAllText(library, export.Stdout);

        var json = format == "csljson" ? export.Stdout : (await BibServerProcess.RunAsync(_dir, "export", "--format", "csljson", database)).Stdout;
        var items = JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Select(i => (Key: i.GetProperty("id").GetString()!, Title: i.GetProperty("title").GetString()!)).ToList();
        // The 38 regular items of the control database, no attachment or note among them.
        Assert.Equal(38, items.Count);

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
    public async Task Check_with_zotero_true_reads_the_database_of_ZOTERO_DATA_DIR()
    {
        var data = Directory.CreateDirectory(Path.Combine(_dir, "elsewhere", "Zotero")).FullName;
        using (var db = ZoteroDatabase.Create(Path.Combine(data, "zotero.sqlite")))
            db.AddItem("book", "The Art of Computer Programming", [new("Donald", "Knuth")], new Dictionary<string, string> { ["citationKey"] = "knuth1968" });
        var workspace = Directory.CreateDirectory(Path.Combine(_dir, "notes")).FullName;
        File.WriteAllText(Path.Combine(workspace, "bibserver.yaml"), "zotero: true\n");
        File.WriteAllText(Path.Combine(workspace, "survey.md"), "Cites [@knuth1968] and [@nobody2000].\n");

        var start = new ProcessStartInfo(LspTestClient.ServerCommand[0], [.. LspTestClient.ServerCommand.Skip(1), "check", "."])
        {
            WorkingDirectory = workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ZOTERO_DATA_DIR"] = data;
        start.Environment["XDG_CACHE_HOME"] = Path.Combine(_dir, "cache");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var output = await stdout + await stderr;

        Assert.Contains("nobody2000", output);
        Assert.DoesNotContain("knuth1968", output);
        Assert.DoesNotContain("missing", output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Letters and digits only, lower case: citeproc changes quotes, dashes, case and math markup.</summary>
    private static string Letters(string text) => new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
