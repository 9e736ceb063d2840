using BibServer.Server.Tests.Harness;
using StreamJsonRpc;
using LSP = BibServer.Protocol;
using static BibServer.Server.Tests.EndToEnd.ExamplesWorkspace;

namespace BibServer.Server.Tests.EndToEnd;

/// <summary>What a client or a user can get wrong, against the built server on a copy of examples/: the server answers and goes on.</summary>
public sealed class ExamplesRobustnessTests
{
    [Fact]
    public async Task A_position_outside_the_document_is_refused_and_the_server_goes_on()
    {
        await using var ws = await StartAsync();
        var uri = await ws.OpenAsync(Survey);
        await ws.WaitForIndexedAsync(95);

        foreach (var (line, column) in new[] { (9999, 0), (0, 9999), (-1, 0) })
        {
            await AnswersNothingOrInvalidParamsAsync(() => ws.Client.HoverAsync(uri, line, column));
            await AnswersNothingOrInvalidParamsAsync(async () => Assert.Empty((await ws.Client.CompletionAsync(uri, line, column)).Items));
        }

        var at = PositionOf(ws.Read(Survey), "@umarsignal show", 3);
        Assert.StartsWith("Umar, Ali Hussaini, and Alessandro Laio. n.d. “Signal-to-Noise Ratio", (await ws.Client.HoverRenderedAsync(uri, at.Line, at.Character))!.Contents.Value);
        Assert.False(ws.Client.Process!.HasExited);
    }

    /// <summary>Either answer is right for a position off the document: InvalidParams, or an empty result.</summary>
    private static async Task AnswersNothingOrInvalidParamsAsync(Func<Task> request)
    {
        try
        {
            await request();
        }
        catch (RemoteRpcException)
        {
            await LspAssert.ErrorAsync(LSP.ErrorCodes.InvalidParams, request);
        }
    }

    [Fact]
    public async Task Broken_front_matter_is_flagged_at_its_line_and_the_citations_are_still_checked()
    {
        await using var ws = await StartAsync();
        await ws.WaitForIndexedAsync(95);
        var uri = ws.Uri("notes/broken-yaml.md");

        await ws.Client.OpenAsync(uri, "---\ntitle: Broken\nsubtitle: a colon: then another\nauthor: Someone\n---\n\nSee [@umarsignl] and [@umarsignal].\n");

        var published = await ws.Client.WaitForDiagnosticsAsync(uri, d => d.Version == 1);
        var text = ws.Client.TextOf(uri);
        // The YAML error points at the second colon of line 3 (an empty range: YamlDotNet gives a point).
        Assert.Equal(
        [
            "2:17-2:17 error front-matter-yaml: The front matter is not valid YAML: While scanning a plain scalar value, found invalid mapping.",
            $"6:6-6:15 {ExamplesNoteTests.UmarsignlError}",
        ], published.Diagnostics.Select(Show));
    }

    [Fact]
    public async Task A_bibliography_naming_a_missing_file_is_a_warning_at_its_line()
    {
        await using var ws = await StartAsync();
        await ws.WaitForIndexedAsync(95);
        var uri = ws.Uri("notes/missing-library.md");

        await ws.Client.OpenAsync(uri, "---\ntitle: Missing\nbibliography:\n- ../classics.bib\n- nowhere.bib\n---\n\nSee [@robbins1951stochastic] and [@umarsignal].\n");

        await ws.WaitForBriefDiagnosticsAsync(uri, 1, ["5 warning missing-bibliography `nowhere.bib`"]);
    }
}
