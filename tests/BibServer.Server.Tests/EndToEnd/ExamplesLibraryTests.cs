using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;
using static BibServer.Server.Tests.EndToEnd.ExamplesWorkspace;

namespace BibServer.Server.Tests.EndToEnd;

/// <summary>
/// Libraries that change while notes are open: on disk (told by the client's watcher, or noticed by the
/// server's own when the client cannot watch), and in an editor buffer that is not saved. The built server,
/// as a process, on a copy of examples/. Diagnostics are written briefly: <c>line severity code `covered text`</c>.
/// </summary>
public sealed class ExamplesLibraryTests
{
    private const string Umarsignl = "`umarsignl`";

    /// <summary>What VS Code can do, or the same without file watching, so that the server must watch the disk itself.</summary>
    private static LSP.ClientCapabilities Capabilities(bool clientWatches) => clientWatches
        ? LspTestClient.FullCapabilities
        : LspTestClient.FullCapabilities with { Workspace = LspTestClient.FullCapabilities.Workspace! with { DidChangeWatchedFiles = null } };

    private static async Task TellTheServerAsync(ExamplesWorkspace ws, bool clientWatches, string relative, LSP.FileChangeType type)
    {
        if (!clientWatches) return;
        await ws.Client.NotifyAsync(LSP.Methods.WorkspaceDidChangeWatchedFiles,
            new LSP.DidChangeWatchedFilesParams([new LSP.FileEvent(ws.Uri(relative), type)]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_paper_appended_to_a_list_on_disk_mends_the_citation_of_it(bool clientWatches)
    {
        await using var ws = await StartAsync(capabilities: Capabilities(clientWatches));
        var uri = await ws.OpenAsync(Survey);
        await ws.WaitForIndexedAsync(95);
        var line = await ws.AppendLineAsync(uri, "A paper that is not in the lists yet [@zyzzyvaquokkas].");
        await ws.WaitForBriefDiagnosticsAsync(uri, 2, [$"26 error unknown-key {Umarsignl}", $"{line + 1} error unknown-key `zyzzyvaquokkas`"]);
        var mark = ws.Client.Mark();

        // The list file ends without a line break, as the scraped pages do.
        File.AppendAllText(ws.PathOf(PlainList),
            "\nQuokkas Learn Gradient Descent by Hopping\nZyzzyva, Quentin, Aardvark, Anna\nWe show that quokkas, hopping at random, follow the gradient of the landscape.\n");
        await TellTheServerAsync(ws, clientWatches, PlainList, LSP.FileChangeType.Changed);

        await ws.WaitForBriefDiagnosticsAsync(uri, 2, [$"26 error unknown-key {Umarsignl}"], after: mark);
        await ws.WaitForIndexedAsync(96, after: mark);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bibliography_file_written_after_a_note_named_it_is_read(bool clientWatches)
    {
        await using var ws = await StartAsync(capabilities: Capabilities(clientWatches));
        var uri = await ws.OpenAsync(Encodings);
        await ws.WaitForIndexedAsync(95);
        await ws.Client.InsertAsync(uri, 2, 0, "bibliography: extra.bib\n");
        await ws.AppendLineAsync(uri, "Literate programming [@knuth1984literate].");
        await ws.WaitForBriefDiagnosticsAsync(uri, 3,
        [
            "3 warning missing-bibliography `extra.bib`",
            "20 error unknown-key `safety2023alignment`",
            "21 error unknown-key `knuth1984literate`",
        ]);
        var mark = ws.Client.Mark();

        File.WriteAllText(ws.PathOf("notes/extra.bib"),
            "@article{knuth1984literate,\n  author = {Knuth, Donald E.},\n  title = {Literate Programming},\n  journal = {The Computer Journal},\n  year = {1984}\n}\n");
        await TellTheServerAsync(ws, clientWatches, "notes/extra.bib", LSP.FileChangeType.Created);

        await ws.WaitForBriefDiagnosticsAsync(uri, 3, ["20 error unknown-key `safety2023alignment`"], after: mark);
        var hover = await ws.Client.HoverRenderedAsync(uri, 20, "Literate programming [@".Length + 2);
        Assert.True(hover!.Contents.Value.StartsWith("Knuth, Donald E. 1984. “Literate Programming.” The Computer Journal.", StringComparison.Ordinal),
            $"Hover: {hover.Contents.Value}\nServer log:\n{string.Join("\n", ws.Client.LogMessages.Select(m => m.Message))}");
    }

    [Fact]
    public async Task An_open_library_is_read_from_the_editors_buffer_not_from_the_disk()
    {
        await using var ws = await StartAsync();
        var survey = await ws.OpenAsync(Survey);
        var classics = await ws.OpenAsync(Classics);
        await ws.WaitForBriefDiagnosticsAsync(survey, 1, [$"26 error unknown-key {Umarsignl}"]);
        var mark = ws.Client.Mark();

        await ws.ReplaceAsync(classics, "robbins1951stochastic", "robbins1951approximation");

        await ws.WaitForBriefDiagnosticsAsync(survey, 1,
            ["14 error unknown-key `robbins1951stochastic`", $"26 error unknown-key {Umarsignl}"], after: mark);
        Assert.Contains("@article{robbins1951stochastic,", ws.Read(Classics));
        var completion = await ws.Client.CompletionAsync(survey, 13, "and a classic reference for the optimisation view is [@robbins".Length);
        Assert.Equal("robbins1951approximation", completion.Items[0].Label);

        // Closing the buffer without saving: the file on disk is the library again.
        mark = ws.Client.Mark();
        await ws.Client.CloseAsync(classics);
        await ws.WaitForBriefDiagnosticsAsync(survey, 1, [$"26 error unknown-key {Umarsignl}"], after: mark);
    }
}
