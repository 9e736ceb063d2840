using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Protocol;

/// <summary>
/// Every request is answered on a state that includes every notification sent before it, on the real
/// server process under an extra CPU load (two threads of this process spinning throughout). Before, right
/// after a note was opened `[@umar` completion answered an empty list in 5 of 8 tries on a loaded machine,
/// and references sent right after a didChangeWatchedFiles that created a note could miss that note.
/// </summary>
public sealed class RequestOrderingTests : IDisposable
{
    private const int Rounds = 50;

    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-ordering-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Entry(string key, string title) =>
        $"@article{{{key},\n  author = {{Umar, Ali Hussaini}},\n  title = {{{title}}},\n  journal = {{Journal of Tests}},\n  year = {{2025}}\n}}\n";

    private async Task<LspTestClient> StartAsync()
    {
        File.WriteAllText(Path.Combine(_root, "bibserver.yaml"), "libraries:\n  - refs.bib\n");
        File.WriteAllText(Path.Combine(_root, "refs.bib"), Entry("refkey", "The Paper Every Note Cites"));
        var client = await LspTestClient.StartProcessAsync();
        // No wait for the index after initialize: the first round races the workspace's load too.
        await client.InitializeAsync(new LSP.InitializeParams
        {
            RootUri = DocumentUris.FromPath(_root),
            Capabilities = LspTestClient.FullCapabilities,
        });
        return client;
    }

    [Fact]
    public async Task Completion_right_after_open_sees_the_library_the_note_names_50_times()
    {
        using var load = new CpuLoad(2);
        await using var client = await StartAsync();

        for (var i = 0; i < Rounds; i++)
        {
            File.WriteAllText(Path.Combine(_root, $"lib{i}.bib"), Entry($"umarkey{i}", $"Signal and Noise, Part {i}"));
            var uri = DocumentUris.FromPath(Path.Combine(_root, $"note{i}.md"));
            // Sent back to back: the completion's request follows the didOpen on the wire at once.
            var open = client.OpenAsync(uri, $"---\nbibliography: lib{i}.bib\n---\n\nSee [@umar");
            var completion = client.CompletionAsync(uri, 4, 10);
            await open;
            var list = await completion;

            // (Every completion list is marked incomplete, so that the editor asks again as the query grows.)
            Assert.True(list.Items.Any(item => item.Label == $"umarkey{i}"), $"round {i}: umarkey{i} is not offered ({list.Items.Count} items)");
        }
    }

    [Fact]
    public async Task References_right_after_a_created_note_include_it_50_times()
    {
        using var load = new CpuLoad(2);
        await using var client = await StartAsync();
        var main = Path.Combine(_root, "main.md");
        var text = "# Main\n\nAs [@refkey] shows.\n";
        File.WriteAllText(main, text);
        await client.OpenAsync(DocumentUris.FromPath(main), text);

        for (var i = 0; i < Rounds; i++)
        {
            var created = Path.Combine(_root, $"disk{i}.md");
            File.WriteAllText(created, $"# Disk {i}\n\nAlso [@refkey].\n");
            var notify = client.NotifyAsync(LSP.Methods.WorkspaceDidChangeWatchedFiles,
                new LSP.DidChangeWatchedFilesParams([new LSP.FileEvent(DocumentUris.FromPath(created), LSP.FileChangeType.Created)]));
            var references = client.RequestAsync<LSP.Location[]>(LSP.Methods.TextDocumentReferences,
                new LSP.ReferenceParams(new LSP.TextDocumentIdentifier(DocumentUris.FromPath(main)), new LSP.Position(2, 7), new LSP.ReferenceContext(IncludeDeclaration: false)));
            await notify;
            var found = await references;

            var notes = found.Select(l => DocumentUris.ToPath(l.Uri)).ToHashSet();
            for (var j = 0; j <= i; j++) Assert.True(notes.Contains(Path.Combine(_root, $"disk{j}.md")), $"round {i}: disk{j}.md is missing from the references");
            Assert.Contains(main, notes);
        }
    }

    /// <summary>Threads that spin until disposed: the extra load a busy machine puts on the server.</summary>
    private sealed class CpuLoad : IDisposable
    {
        private volatile bool _stop;
        private readonly Thread[] _threads;

        public CpuLoad(int threads)
        {
            _threads = [.. Enumerable.Range(0, threads).Select(_ => new Thread(() => { while (!_stop) Thread.SpinWait(1000); }) { IsBackground = true })];
            foreach (var t in _threads) t.Start();
        }

        public void Dispose()
        {
            _stop = true;
            foreach (var t in _threads) t.Join();
        }
    }
}
