using System.Text.Json;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;
using static BibServer.Server.Tests.EndToEnd.ExamplesWorkspace;

namespace BibServer.Server.Tests.EndToEnd;

/// <summary>Reading the workspace at start, and where its libraries come from, in the built server on a copy of examples/.</summary>
public sealed class ExamplesStartupTests
{
    [Fact]
    public async Task Start_up_indexing_shows_progress_then_a_status_with_95_papers()
    {
        await using var ws = await StartAsync();

        var status = await ws.WaitForIndexedAsync(95);

        Assert.Equal(new LSP.BibServerStatus(Papers: 95, Problems: 0, Indexing: false, Libraries: 5), status);
        // The status goes out as the papers are swapped in; the progress ends just after.
        await ws.Client.WaitForAsync(m => m.Method == LSP.Methods.Progress && m.Read<LSP.ProgressParams>().Value.GetProperty("kind").GetString() == "end",
            what: "the end of the progress");
        var progress = ws.Client.Received.Where(m => m.Method == LSP.Methods.Progress).Select(m => m.Read<LSP.ProgressParams>()).ToList();
        var kinds = progress.Select(p => p.Value.GetProperty("kind").GetString()).ToList();
        Assert.Equal("begin", kinds.First());
        Assert.Equal("end", kinds.Last());
        Assert.Equal("Indexing libraries", progress[0].Value.GetProperty("title").GetString());
        Assert.Equal("95 papers in 5 libraries", progress[^1].Value.GetProperty("message").GetString());
        var created = ws.Client.Received.Single(m => m.Method == LSP.Methods.WindowWorkDoneProgressCreate).Read<LSP.WorkDoneProgressCreateParams>();
        Assert.All(progress, p => Assert.Equal(created.Token, p.Token.GetString()));
    }

    [Fact]
    public async Task Without_workDoneProgress_no_progress_is_sent_but_the_status_is()
    {
        await using var ws = await StartAsync(capabilities: LspTestClient.FullCapabilities with { Window = null });

        await ws.WaitForIndexedAsync(95);

        Assert.DoesNotContain(ws.Client.Received, m => m.Method is LSP.Methods.Progress or LSP.Methods.WindowWorkDoneProgressCreate);
    }

    [Fact]
    public async Task Library_statistics_have_a_row_per_paper_list()
    {
        await using var ws = await StartAsync();
        await ws.WaitForIndexedAsync(95);

        var stats = await ws.Client.RequestAsync<LSP.LibraryStatsResult>("bibserver/libraryStats", null);

        Assert.Equal(
        [
            "papers/000_15c1982a7ee950de.txt PaperList 10 papers 0 problems",
            "papers/001_bfc6ce7927b51af8.txt PaperList 10 papers 0 problems",
            // 002 lists three of its six papers twice (the cards layout repeats a paper under each venue): a row
            // counts papers, not listings.
            "papers/002_222a524165b55640.txt PaperList 6 papers 0 problems",
            "papers/003_87b10aa909be43f7.txt PaperList 32 papers 0 problems",
            "papers/004_f61b5b2dbed0dad1.txt PaperList 39 papers 0 problems",
        ], stats.Libraries.Select(row => $"{Path.GetRelativePath(ws.Root, row.Path)} {row.Format} {row.Papers} papers {row.Problems} problems"));
        // The rows add up to 97 papers and the merged whole to 95: two papers are in two lists each.
        Assert.Equal(97, stats.Libraries.Sum(row => row.Papers));
        Assert.Equal((95, 0, "ConfigFile"), (stats.Papers, stats.Problems, stats.Source));
    }

    [Fact]
    public async Task Without_bibserver_yaml_the_initialization_options_name_the_libraries_and_a_settings_change_renames_them()
    {
        // Only the plain listing: the survey's citations of the daily feeds' papers are broken.
        await using var ws = await StartAsync(
            prepare: root => File.Delete(Path.Combine(root, "bibserver.yaml")),
            initializationOptions: """{ "libraries": ["papers/000_15c1982a7ee950de.txt"] }""");
        var uri = await ws.OpenAsync(Survey);
        var onlyPlainList = await ws.WaitForIndexedAsync(papers: 10);
        Assert.Equal(1, onlyPlainList.Libraries);
        var published = await ws.Client.WaitForDiagnosticsAsync(uri, d => d.Version == 1);
        var broken = published.Diagnostics.Select(d => Brief(ws.Client.TextOf(uri), d)).ToList();
        Assert.Contains("26 error unknown-key `umarsignl`", broken);
        Assert.Contains("19 error unknown-key `safety2024alignment`", broken);
        var mark = ws.Client.Mark();

        await ws.Client.NotifyJsonAsync(LSP.Methods.WorkspaceDidChangeConfiguration,
            """{ "settings": { "bibserver": { "libraries": ["papers/*.txt"] } } }""");

        await ws.WaitForBriefDiagnosticsAsync(uri, 1, ["26 error unknown-key `umarsignl`"], after: mark);
        var stats = await ws.Client.RequestAsync<LSP.LibraryStatsResult>("bibserver/libraryStats", null);
        Assert.Equal((95, 5, "Settings"), (stats.Papers, stats.Libraries.Length, stats.Source));
    }
}
