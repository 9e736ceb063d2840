using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Styles;

/// <summary>
/// The note's citation style over JSON-RPC, with real files: a <c>csl:</c> that names a shipped style renders
/// in it; one that cannot be read or is not a CSL style is one diagnostic at the <c>csl:</c> value, and the
/// hover renders in the default style (Chicago author-date), without a crash.
/// </summary>
public sealed class CitationStyleTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-styles-").FullName;

    private const string Bib = """
        @inproceedings{vaswani2017attention,
          author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki},
          title = {Attention Is All You Need},
          booktitle = {Advances in Neural Information Processing Systems},
          year = {2017},
          doi = {10.5555/3295222.3295349}
        }
        """;

    /// <summary>What Chicago author-date and APA print for the paper (pandoc prints the same: see the core's agreement test).</summary>
    private const string Chicago = "Vaswani, Ashish, Noam Shazeer, and Niki Parmar. 2017. “Attention Is All You Need.” In Advances in Neural Information Processing Systems. https://doi.org/10.5555/3295222.3295349.";
    private const string Apa = "Vaswani, A., Shazeer, N., \\& Parmar, N. (2017). Attention is all you need. Advances in Neural Information Processing Systems. https://doi.org/10.5555/3295222.3295349";

    private async Task<(LspTestClient Client, string Uri)> OpenAsync(string csl, string? settings = null)
    {
        File.WriteAllText(Path.Combine(_root, "refs.bib"), Bib);
        var text = $"---\nbibliography: refs.bib\ncsl: {csl}\n---\nAttention [see @vaswani2017attention, p. 3].\n";
        var path = Path.Combine(_root, "note.md");
        File.WriteAllText(path, text);
        var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(new LSP.InitializeParams
        {
            RootUri = DocumentUris.FromPath(_root),
            Capabilities = LspTestClient.FullCapabilities with
            {
                Window = new(WorkDoneProgress: true, ShowDocument: new(true)),
                TextDocument = LspTestClient.FullCapabilities.TextDocument! with
                {
                    Completion = new(new LSP.CompletionItemClientCapabilities(ResolveSupport: new(["documentation"]))),
                },
            },
            InitializationOptions = settings is null ? null : System.Text.Json.JsonDocument.Parse(settings).RootElement.Clone(),
        });
        var uri = DocumentUris.FromPath(path);
        await client.OpenAsync(uri, text);
        // The engine loads after the first diagnostics (seconds on a loaded machine); a hover would wait for
        // it too, but longer than the test client waits for an answer.
        await client.Server!.Styles.Load();
        return (client, uri);
    }

    private static string Show(LSP.Diagnostic d) => $"{d.Range.Start.Line}:{d.Range.Start.Character}-{d.Range.End.Line}:{d.Range.End.Character} {d.Code}: {d.Message}";

    [Fact]
    public async Task A_shipped_style_named_by_the_note_renders_the_hover_and_is_no_problem()
    {
        var (client, uri) = await OpenAsync("apa");
        await using var _ = client;
        var published = await client.WaitForDiagnosticsAsync(uri, d => true);
        Assert.Empty(published.Diagnostics);

        var hover = await client.HoverAsync(uri, 4, 20);
        Assert.NotNull(hover);
        Assert.StartsWith(Apa + "\n\nIn text: (see Vaswani et al., 2017, p. 3)", hover.Contents.Value);
        Assert.Contains("[DOI 10.5555/3295222.3295349](https://doi.org/10.5555/3295222.3295349)", hover.Contents.Value);
    }

    [Theory]
    [InlineData("missing.csl", "cannot be read: no such file")]
    [InlineData("broken.csl", "is not well-formed XML")]
    [InlineData("notastyle.csl", "is not a CSL style")]
    public async Task A_style_that_cannot_be_used_is_one_diagnostic_at_the_csl_line_and_the_default_renders(string csl, string why)
    {
        File.WriteAllText(Path.Combine(_root, "broken.csl"), "<?xml version=\"1.0\"?>\n<style xmlns=\"http://purl.org/net/xbiblio/csl\"><citation>");
        File.WriteAllText(Path.Combine(_root, "notastyle.csl"), "<?xml version=\"1.0\"?>\n<html><body>Not a style</body></html>");
        var (client, uri) = await OpenAsync(csl);
        await using var _ = client;

        var published = await client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Count > 0);
        var diagnostic = Assert.Single(published.Diagnostics);
        Assert.StartsWith($"2:5-2:{5 + csl.Length} csl-style: The citation style `{csl}` {why}", Show(diagnostic));
        Assert.EndsWith("references are shown in Chicago author-date instead.", diagnostic.Message);

        var hover = await client.HoverAsync(uri, 4, 20);
        Assert.NotNull(hover);
        Assert.StartsWith(Chicago + "\n\nIn text: (see Vaswani, Shazeer, and Parmar 2017, 3)", hover.Contents.Value);
    }

    [Fact]
    public async Task A_style_bibserver_yaml_names_that_cannot_be_used_is_pushed_at_its_line_in_bibserver_yaml()
    {
        File.WriteAllText(Path.Combine(_root, "bibserver.yaml"), "libraries: [refs.bib]\ncsl: nosuch.csl\n");
        var (client, _) = await OpenAsync("apa");
        await using var __ = client;

        var config = DocumentUris.FromPath(Path.Combine(_root, "bibserver.yaml"));
        var published = await client.WaitForDiagnosticsAsync(config, d => d.Diagnostics.Count > 0);
        Assert.Equal(["1:5-1:15 csl-style: The citation style `nosuch.csl` cannot be read: no such file; references are shown in Chicago author-date instead."],
            published.Diagnostics.Select(Show));
    }

    [Fact]
    public async Task Inlay_hints_are_off_by_default_and_show_each_keys_in_text_form_when_turned_on()
    {
        var (off, offUri) = await OpenAsync("chicago-author-date");
        await using (off)
        {
            var none = await off.RequestAsync<LSP.InlayHint[]>("textDocument/inlayHint", new LSP.InlayHintParams(new(offUri), new(new(0, 0), new(5, 0))));
            Assert.Empty(none);
        }

        var (client, uri) = await OpenAsync("chicago-author-date", """{"inlayHints": {"enabled": true}}""");
        await using var _ = client;
        var hints = await client.RequestAsync<LSP.InlayHint[]>("textDocument/inlayHint", new LSP.InlayHintParams(new(uri), new(new(0, 0), new(5, 0))));
        var hint = Assert.Single(hints);
        Assert.Equal("(Vaswani, Shazeer, and Parmar 2017)", hint.Label);
        // Right after the key: "Attention [see @vaswani2017attention" is 36 characters.
        Assert.Equal(new LSP.Position(4, 36), hint.Position);
    }

    [Fact]
    public async Task Preview_bibliography_completion_documentation_and_implementation_use_the_notes_style()
    {
        var (client, uri) = await OpenAsync("apa");
        await using var _ = client;

        var preview = await client.RequestAsync<string?>("workspace/executeCommand",
            new LSP.ExecuteCommandParams("bibserver.server.previewBibliography", [System.Text.Json.JsonSerializer.SerializeToElement(uri)]));
        Assert.Equal($"# References of note.md (apa, en-US)\n\n{Apa}\n", preview);

        var list = await client.CompletionAsync(uri, 4, 20);
        var item = list.Items.First(i => i.Label == "vaswani2017attention");
        var resolved = await client.RequestAsync<LSP.CompletionItem>("completionItem/resolve", item);
        Assert.StartsWith(Apa + "\n\n**Attention Is All You Need**", resolved.Documentation!.Value);

        var locations = await client.RequestAsync<LSP.Location[]>("textDocument/implementation", new LSP.DefinitionParams(new(uri), new(4, 20)));
        Assert.Empty(locations);
        var show = await client.WaitForAsync(m => m.Method == "window/showDocument");
        var shown = show.Read<LSP.ShowDocumentParams>();
        Assert.Equal(("https://doi.org/10.5555/3295222.3295349", true), (shown.Uri, shown.External));
    }

    [Fact]
    public async Task The_engine_loads_only_after_the_notes_first_diagnostics_are_sent()
    {
        File.WriteAllText(Path.Combine(_root, "refs.bib"), Bib);
        var text = "---\nbibliography: refs.bib\n---\nAttention [@vaswani2017attention] and [@nosuchkey].\n";
        var path = Path.Combine(_root, "note.md");
        File.WriteAllText(path, text);
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(new LSP.InitializeParams
        {
            RootUri = DocumentUris.FromPath(_root), Trace = LSP.TraceValue.Verbose, Capabilities = LspTestClient.FullCapabilities,
        });
        var uri = DocumentUris.FromPath(path);
        await client.OpenAsync(uri, text);

        var diagnostics = await client.WaitForAsync(m => m.Method == LSP.Methods.TextDocumentPublishDiagnostics
            && m.Read<LSP.PublishDiagnosticsParams>().Diagnostics.Count > 0, what: "the note's first diagnostics");
        var loaded = await client.WaitForAsync(m => m.Method == LSP.Methods.WindowLogMessage
            && m.Read<LSP.LogMessageParams>().Message.Contains("Loaded citeproc-js", StringComparison.Ordinal), what: "the engine's load");
        Assert.True(loaded.Index > diagnostics.Index, "The citation engine loaded before the first diagnostics were sent.");
        Assert.NotNull(await client.Server!.Styles.Load());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
