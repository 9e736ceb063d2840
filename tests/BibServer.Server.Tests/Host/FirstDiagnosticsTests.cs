using System.Text;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Host;

/// <summary>
/// The first diagnostics of a note after start-up do not wait for the search index of a large library (half a
/// second at 100,000 papers): a broken key is reported at once, without closest keys, and the note is published
/// again, with them, once the index is built. A request meanwhile sees them: it waits for the index.
/// </summary>
public class FirstDiagnosticsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-first-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_broken_key_is_published_at_once_then_again_with_its_closest_keys_which_a_quick_fix_already_offers()
    {
        // Past the size from which a library's index is not built on the way to the first diagnostics (4,096 papers).
        var bib = new StringBuilder();
        for (var i = 0; i < 5000; i++) bib.Append($"@article{{paper{i}smith,\n  title = {{Paper number {i}}},\n  author = {{Smith, Ann}},\n  year = {{2020}},\n}}\n");
        File.WriteAllText(Path.Combine(_root, "library.bib"), bib.ToString());
        File.WriteAllText(Path.Combine(_root, "bibserver.yaml"), "libraries:\n  - library.bib\n");
        var note = "See [@paper17smih] and [@paper18smith].\n";
        File.WriteAllText(Path.Combine(_root, "note.md"), note);
        var uri = new Uri(Path.Combine(_root, "note.md")).AbsoluteUri;

        await using var client = LspTestClient.StartInProcess();
        await client.InitializeAsync(new LSP.InitializeParams { RootUri = new Uri(_root).AbsoluteUri });
        await client.OpenAsync(uri, note);

        var first = await client.WaitForDiagnosticsAsync(uri, d => d.Version == 1);
        var broken = Assert.Single(first.Diagnostics);
        Assert.Equal("Unknown citation key `paper17smih`: no library of this note has it.", broken.Message);

        var at = new LSP.Position(0, 8);
        var actions = await client.RequestAsync<LSP.CodeAction[]>(LSP.Methods.TextDocumentCodeAction, new LSP.CodeActionParams(
            new LSP.TextDocumentIdentifier(uri), new LSP.Range(at, at), new LSP.CodeActionContext([])));
        Assert.Contains(actions, a => a.Title == "Replace with `paper17smith`");

        var complete = await client.WaitForDiagnosticsAsync(uri, d => d.Version == 1 && d.Diagnostics.Any(x => x.Message.Contains("Closest:")));
        Assert.StartsWith("Unknown citation key `paper17smih`: no library of this note has it. Closest: `paper17smith`", Assert.Single(complete.Diagnostics).Message);
    }
}
