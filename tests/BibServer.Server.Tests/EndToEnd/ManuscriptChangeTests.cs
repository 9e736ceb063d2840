using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.EndToEnd;

/// <summary>
/// A Manubot manuscript's tags (<c>content/citation-tags.tsv</c>) and Manubot's cache of references
/// (<c>output/references.json</c>) change on disk while the server runs, on a copy of
/// tests/testdata/manubot/manuscript: the server watches both and reads them again, so a tag defined since
/// is no longer an error and a paper cached since shows in the hover. Before, both were read only when the
/// workspace loaded.
/// </summary>
public sealed class ManuscriptChangeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-manubot-").FullName;

    public ManuscriptChangeTests()
    {
        var source = TestData.Path("manubot", "manuscript");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static Task ChangedAsync(LspTestClient client, string path) =>
        client.NotifyAsync(LSP.Methods.WorkspaceDidChangeWatchedFiles, new LSP.DidChangeWatchedFilesParams(
            [new LSP.FileEvent(DocumentUris.FromPath(path), LSP.FileChangeType.Changed)]));

    [Fact]
    public async Task The_server_watches_the_tags_and_the_cache_and_reads_them_again_when_they_change()
    {
        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(new LSP.InitializeParams
        {
            RootUri = DocumentUris.FromPath(_root),
            Capabilities = LspTestClient.FullCapabilities,
        });
        var note = Path.Combine(_root, "content", "02.introduction.md");
        var uri = DocumentUris.FromPath(note);
        await client.OpenAsync(uri, File.ReadAllText(note));
        var first = await client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Count > 0);
        Assert.Contains(first.Diagnostics, d => d.Message.StartsWith("Unknown citation tag `deep-reveiw`", StringComparison.Ordinal));
        Assert.Equal(2, first.Diagnostics.Count);

        // The misspelt tag is defined now: only the malformed DOI is left.
        var tags = Path.Combine(_root, "content", "citation-tags.tsv");
        File.AppendAllText(tags, "deep-reveiw\tdoi:10.1098/rsif.2017.0387\n");
        var mark = client.Mark();
        await ChangedAsync(client, tags);
        var after = await client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Count < 2, after: mark);
        var left = Assert.Single(after.Diagnostics);
        Assert.StartsWith("`doi:1038/nature14539` is not a DOI", left.Message);

        // Manubot's cache now holds the residual networks paper: the hover on its identifier shows it.
        var residual = new LSP.Position(2, 24);
        var before = await client.HoverAsync(uri, residual.Line, residual.Character);
        Assert.DoesNotContain("Deep Residual Learning", before?.Contents.Value ?? "");
        var cache = Path.Combine(_root, "output", "references.json");
        var text = File.ReadAllText(cache).TrimEnd();
        File.WriteAllText(cache, text[..^1].TrimEnd() + """
            ,
              {
                "id": "resnet",
                "type": "paper-conference",
                "title": "Deep Residual Learning for Image Recognition",
                "author": [{ "family": "He", "given": "Kaiming" }],
                "issued": { "date-parts": [[2016]] },
                "note": "standard_id: arxiv:1512.03385"
              }
            ]
            """);
        await ChangedAsync(client, cache);
        // A request waits for the reload the file event began (RequestOrdering): no sleep is needed.
        var hover = await client.HoverAsync(uri, residual.Line, residual.Character);
        Assert.NotNull(hover);
        Assert.Contains("Deep Residual Learning for Image Recognition", hover.Contents.Value);
    }
}
