using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Styles;

/// <summary>
/// A Quarto project's citation style over JSON-RPC, on a copy of the Quarto book in tests/testdata/quarto:
/// <c>book/_quarto.yml</c> names <c>csl: ../refs/chicago-author-date.csl</c>, a file relative to it that the
/// test data does not hold. Quarto's order (https://quarto.org/docs/projects/quarto-projects.html) is the
/// document's front matter over the folder's <c>_metadata.yml</c> over the project: the in-text forms the
/// inlay hints show say which style each note renders with, and a style that cannot be used is one
/// diagnostic at its line in the file that names it, as a note's own <c>csl:</c> is.
/// </summary>
public sealed class QuartoStyleTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-quarto-styles-").FullName;

    private string Book => Path.Combine(_root, "book");

    public QuartoStyleTests()
    {
        foreach (var file in Directory.EnumerateFiles(TestData.Path("quarto"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_root, Path.GetRelativePath(TestData.Path("quarto"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A shipped style's file, as the server's build copies it from the npm packages.</summary>
    private static string Shipped(string name) => Path.Combine(LspTestClient.ServerFolder, "csl", "styles", name + ".csl");

    private async Task<LspTestClient> StartAsync()
    {
        var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(new LSP.InitializeParams
        {
            RootUri = DocumentUris.FromPath(Book),
            Capabilities = LspTestClient.FullCapabilities,
            InitializationOptions = System.Text.Json.JsonDocument.Parse("""{"inlayHints": {"enabled": true}}""").RootElement.Clone(),
        });
        return client;
    }

    private static async Task<string[]> HintsAsync(LspTestClient client, string path)
    {
        var uri = DocumentUris.FromPath(path);
        await client.OpenAsync(uri, File.ReadAllText(path));
        var hints = await client.RequestAsync<LSP.InlayHint[]>("textDocument/inlayHint", new LSP.InlayHintParams(new(uri), new(new(0, 0), new(File.ReadAllLines(path).Length, 0))));
        return [.. hints.Select(h => h.Label)];
    }

    /// <summary>Where a file's <c>csl:</c> value is, as "line:start-end" (0-based, as LSP counts).</summary>
    private static string CslValueAt(string path)
    {
        var lines = File.ReadAllLines(path);
        var line = Array.FindIndex(lines, l => l.StartsWith("csl: ", StringComparison.Ordinal));
        return $"{line}:5-{lines[line].Length}";
    }

    private static string Show(LSP.Diagnostic d) => $"{d.Range.Start.Line}:{d.Range.Start.Character}-{d.Range.End.Character} {d.Code}: {d.Message}";

    [Fact]
    public async Task The_front_matter_then_the_folder_s_metadata_then_the_project_pick_the_style_each_relative_to_its_file()
    {
        // The project's style is the file it names, relative to _quarto.yml (APA's, under Chicago's name);
        // the appendix names IEEE relative to its _metadata.yml; the preface names Chicago in its front matter.
        File.Copy(Shipped("apa"), Path.Combine(_root, "refs", "chicago-author-date.csl"));
        Directory.CreateDirectory(Path.Combine(Book, "appendix", "styles"));
        File.Copy(Shipped("ieee"), Path.Combine(Book, "appendix", "styles", "numbered.csl"));
        File.AppendAllText(Path.Combine(Book, "appendix", "_metadata.yml"), "csl: styles/numbered.csl\n");
        var index = Path.Combine(Book, "index.qmd");
        File.WriteAllText(index, "---\ncsl: chicago-author-date\n---\n" + File.ReadAllText(index));

        await using var client = await StartAsync();
        await client.Server!.Styles.Load();

        Assert.Equal(["(Knuth, 1984)"], await HintsAsync(client, Path.Combine(Book, "chapters", "intro.qmd")));
        Assert.Equal(["[1]"], await HintsAsync(client, Path.Combine(Book, "appendix", "notes.qmd")));
        Assert.Equal(["(Knuth 1984)", "(Robbins and Monro 1951)"], await HintsAsync(client, index));
    }

    [Fact]
    public async Task A_missing_or_malformed_style_is_one_diagnostic_at_its_line_in_the_file_naming_it_and_the_default_renders()
    {
        var metadata = Path.Combine(Book, "appendix", "_metadata.yml");
        File.AppendAllText(metadata, "csl: broken.csl\n");
        File.WriteAllText(Path.Combine(Book, "appendix", "broken.csl"), "<?xml version=\"1.0\"?>\n<style xmlns=\"http://purl.org/net/xbiblio/csl\"><citation>");
        var project = Path.Combine(Book, "_quarto.yml");

        await using var client = await StartAsync();
        await client.Server!.Styles.Load();
        Assert.Equal(["(Knuth 1984)"], await HintsAsync(client, Path.Combine(Book, "chapters", "intro.qmd")));
        Assert.Equal(["(Shannon 1948)"], await HintsAsync(client, Path.Combine(Book, "appendix", "notes.qmd")));

        var missing = await client.WaitForDiagnosticsAsync(DocumentUris.FromPath(project), d => d.Diagnostics.Count > 0);
        Assert.Equal([$"{CslValueAt(project)} csl-style: The citation style `../refs/chicago-author-date.csl` cannot be read: no such file; " +
            "references are shown in Chicago author-date instead."], missing.Diagnostics.Select(Show));
        var malformed = await client.WaitForDiagnosticsAsync(DocumentUris.FromPath(metadata), d => d.Diagnostics.Count > 0);
        var diagnostic = Assert.Single(malformed.Diagnostics);
        Assert.StartsWith($"{CslValueAt(metadata)} csl-style: The citation style `broken.csl` is not well-formed XML", Show(diagnostic));

        // The project now names a shipped style: its diagnostic goes, and its notes render with it.
        File.WriteAllText(project, File.ReadAllText(project).Replace("csl: ../refs/chicago-author-date.csl", "csl: apa"));
        var mark = client.Mark();
        await client.NotifyAsync(LSP.Methods.WorkspaceDidChangeWatchedFiles, new LSP.DidChangeWatchedFilesParams(
            [new LSP.FileEvent(DocumentUris.FromPath(project), LSP.FileChangeType.Changed)]));
        await client.WaitForDiagnosticsAsync(DocumentUris.FromPath(project), d => d.Diagnostics.Count == 0, after: mark);
        var intro = DocumentUris.FromPath(Path.Combine(Book, "chapters", "intro.qmd"));
        var hints = await client.RequestAsync<LSP.InlayHint[]>("textDocument/inlayHint", new LSP.InlayHintParams(new(intro), new(new(0, 0), new(3, 0))));
        Assert.Equal(["(Knuth, 1984)"], hints.Select(h => h.Label));
    }
}
