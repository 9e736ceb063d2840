using System.Text.Json;
using BibServer.Server.Tests.Harness;

namespace BibServer.Server.Tests.Editors;

/// <summary>
/// The built server in a real Neovim (Debian's, 0.7.2 here; scripts/setup installs it) with only the built-in LSP
/// client: tests/neovim/test.lua starts `dotnet bibserver.dll lsp` with vim.lsp.start_client on a copy of
/// examples/, opens notes/alignment-survey.md, hovers a citation, types two citations and completes them, and
/// writes what Neovim received to a JSON report, which this test checks.
/// </summary>
public sealed class NeovimTests(NeovimRun neovim) : IClassFixture<NeovimRun>
{
    private const string AuthorTyped = NeovimRun.AuthorTyped;
    private const string KeyTyped = NeovimRun.KeyTyped;

    private readonly JsonElement _report = neovim.Report;
    private readonly ProgramRun _run = neovim.Run;

    private string Report => JsonSerializer.Serialize(_report, new JsonSerializerOptions { WriteIndented = true });

    [Fact]
    public void The_script_runs_to_the_end_and_the_server_exits_cleanly_when_Neovim_stops_it()
    {
        Assert.True(_report.GetProperty("ok").GetBoolean(), $"The Lua script stopped: {(_report.TryGetProperty("error", out var error) ? error : "")}\n{_run}");
        Assert.Equal(0, _run.ExitCode);
        Assert.Equal(["started", "diagnostics", "hover", "completion", "stopped"], _report.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("bibserver", _report.GetProperty("server").GetProperty("name").GetString());
        Assert.Equal("markdown", _report.GetProperty("filetype").GetString());
        Assert.Equal(0, _report.GetProperty("exit").GetProperty("code").GetInt32());
        Assert.Empty(_report.GetProperty("messages").EnumerateArray());
    }

    [Fact]
    public void The_broken_citation_is_an_error_on_its_key_in_Neovims_diagnostics()
    {
        var uri = _report.GetProperty("uri").GetString();
        // Every publication for the note as it was opened (version 0, before the script typed in it). While the
        // libraries are read the server publishes nothing for it, rather than every key as unknown.
        var published = _report.GetProperty("diagnostics").EnumerateArray()
            .Where(p => p.GetProperty("uri").GetString() == uri && p.GetProperty("version").GetInt32() == 0)
            .Select(p => string.Join("\n", p.GetProperty("diagnostics").EnumerateArray().Select(d =>
            {
                var range = d.GetProperty("range");
                return $"{Pos(range.GetProperty("start"))}-{Pos(range.GetProperty("end"))} severity {d.GetProperty("severity")} "
                    + $"{d.GetProperty("code")} {d.GetProperty("source")}: {d.GetProperty("message")}";
            })))
            .Where(text => text.Length > 0)
            .Distinct();
        // Line 26 of the note: "A deliberately broken citation, to show the diagnostics: [@umarsignl]."
        Assert.Equal(["25:59-25:68 severity 1 unknown-key bibserver: Unknown citation key `umarsignl`: no library of this note has it. Closest: `umarsignal`."], published);
        // What vim.diagnostic holds, and so what :lua vim.diagnostic.setqflist() or a sign column shows.
        var held = _report.GetProperty("vim_diagnostics").EnumerateArray()
            .Select(d => $"{d.GetProperty("lnum")}:{d.GetProperty("col")}-{d.GetProperty("end_col")} {(d.GetProperty("severity").GetInt32() == 1 ? "ERROR" : "other")} {d.GetProperty("message")}");
        Assert.Equal(["25:59-68 ERROR Unknown citation key `umarsignl`: no library of this note has it. Closest: `umarsignal`."], held);
    }

    [Fact]
    public void Hovering_a_citation_shows_the_papers_reference_and_abstract_as_markdown()
    {
        var hover = _report.GetProperty("hover");
        Assert.Equal("8:1", Pos(hover.GetProperty("position")));
        var contents = hover.GetProperty("contents");
        Assert.True(contents.ValueKind == JsonValueKind.Object, $"No hover:\n{Report}");
        Assert.Equal("markdown", contents.GetProperty("kind").GetString());
        var value = contents.GetProperty("value").GetString()!;
        // The reference as the default style (Chicago author-date) prints it comes first.
        Assert.StartsWith("Umar, Ali Hussaini, and Alessandro Laio. n.d. “Signal-to-Noise Ratio and Sample Size Govern Representational Alignment in Neural Networks.”", value);
        Assert.Contains("Neural networks are known to develop latent representations", value);
    }

    [Fact]
    public void Part_of_an_authors_name_after_at_offers_the_paper_and_accepting_it_inserts_the_key()
    {
        var completion = Completion(AuthorTyped);
        var first = completion.GetProperty("items")[0];
        Assert.Equal("townmildly", first.GetProperty("label").GetString());
        Assert.Equal("townmildly", first.GetProperty("newText").GetString());
        // The edit replaces what was typed after the @ (columns 14-20 of "As shown by [@Boursi").
        var range = first.GetProperty("range");
        Assert.Equal("14-20", $"{range.GetProperty("start").GetProperty("character")}-{range.GetProperty("end").GetProperty("character")}");
        Assert.Equal("As shown by [@townmildly", completion.GetProperty("accepted").GetString());
        // FIXME: Neovim 0.7's own omnifunc (<C-x><C-o>) keeps only items whose inserted word starts with the typed
        // prefix, so it drops papers found by author or title; docs/editors.md points to nvim-cmp, which filters
        // on filterText. The server's answer above is right; the omnifunc list is Neovim's limit.
        Assert.Empty(completion.GetProperty("omnifunc").EnumerateArray());
    }

    [Fact]
    public void The_start_of_a_key_completes_with_Neovims_own_omnifunc()
    {
        var completion = Completion(KeyTyped);
        Assert.Equal("umarsignal", completion.GetProperty("items")[0].GetProperty("label").GetString());
        Assert.Contains("umarsignal", completion.GetProperty("omnifunc").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal("Also [@umarsignal", completion.GetProperty("accepted").GetString());
    }

    [Fact]
    public void The_status_notification_reaches_Neovim_and_counts_the_examples_papers_once_indexing_is_done()
    {
        var statuses = _report.GetProperty("notifications").EnumerateArray()
            .Where(n => n.GetProperty("method").GetString() == "bibserver/status")
            .Select(n => n.GetProperty("params"))
            .ToList();
        Assert.NotEmpty(statuses);
        // Every status that says indexing is over counts all of examples/ (a note's own bibliography read while the
        // workspace loads must not announce a finished index of 0 papers).
        var done = statuses.Where(s => !s.GetProperty("indexing").GetBoolean())
            .Select(s => $"{s.GetProperty("papers")} papers in {s.GetProperty("libraries")} libraries, {s.GetProperty("problems")} problems")
            .Distinct();
        Assert.Equal(["95 papers in 5 libraries, 0 problems"], done);
    }

    private JsonElement Completion(string typed)
    {
        Assert.True(_report.TryGetProperty("completions", out var completions), $"No completions:\n{Report}");
        var completion = completions.EnumerateArray().FirstOrDefault(c => c.GetProperty("typed").GetString() == typed);
        Assert.True(completion.ValueKind == JsonValueKind.Object && completion.GetProperty("count").GetInt32() > 0, $"No completion items after \"{typed}\":\n{Report}");
        return completion;
    }

    private static string Pos(JsonElement position) => $"{position.GetProperty("line")}:{position.GetProperty("character")}";
}

/// <summary>One run of Neovim for all the tests of <see cref="NeovimTests"/>: they check parts of its report.</summary>
public sealed class NeovimRun : IAsyncLifetime
{
    private const string Note = "notes/alignment-survey.md";
    public const string AuthorTyped = "As shown by [@Boursi";
    public const string KeyTyped = "Also [@umar";

    private readonly TempFolder _temp = new();

    public JsonElement Report { get; private set; }

    internal ProgramRun Run { get; private set; } = new(-1, "", "");

    public async Task InitializeAsync()
    {
        var nvim = ExternalProgram.Find("nvim");
        Assert.True(nvim is not null,
            "nvim is not on PATH. The Neovim test needs Debian's neovim package: run scripts/setup (or apt-get install neovim).");
        var workspace = ExternalProgram.CopyExamples(_temp.Path);
        var result = Path.Combine(_temp.Path, "nvim-report.json");
        var script = Path.Combine(TestData.Root, "tests", "neovim", "test.lua");
        Run = await ExternalProgram.RunAsync(nvim!,
            // No user configuration, shada or swap file: only what the script sets up.
            ["--headless", "-n", "-i", "NONE", "-u", "NONE", "-c", $"luafile {script}"],
            TimeSpan.FromSeconds(120),
            workingDirectory: workspace,
            environment: new Dictionary<string, string>
            {
                ["BIBSERVER_NVIM_CMD"] = JsonSerializer.Serialize(LspTestClient.ServerCommand.Append("lsp")),
                ["BIBSERVER_NVIM_ROOT"] = workspace,
                ["BIBSERVER_NVIM_NOTE"] = Path.Combine(workspace, Note),
                ["BIBSERVER_NVIM_HOVER"] = "umarsignal",
                ["BIBSERVER_NVIM_TYPE"] = JsonSerializer.Serialize(new[] { AuthorTyped, KeyTyped }),
                ["BIBSERVER_NVIM_RESULT"] = result,
            });
        Assert.True(File.Exists(result), $"Neovim wrote no report.\n{Run}");
        Report = JsonDocument.Parse(File.ReadAllText(result)).RootElement.Clone();
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
