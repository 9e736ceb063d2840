using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Protocol;

/// <summary>
/// No alarm while a key is being typed: a key typed character by character (one incremental didChange each)
/// gets no "Unknown citation key" while it is typed; the version the writer stops at gets it once they pause,
/// in a second publish of that version; an edit elsewhere publishes it at once; other diagnostics are not held.
/// The pause is 3 s here rather than the second a writer gets, so that a loaded machine's slow publish of a
/// keystroke's version (the 25 ms delay, stretched) is still inside it.
/// </summary>
public sealed class TypingHoldTests : IAsyncLifetime
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(3);

    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-typing-").FullName;
    private LspTestClient _client = null!;

    public async Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(_root, "bibserver.yaml"), "libraries:\n  - refs.bib\n");
        File.WriteAllText(Path.Combine(_root, "refs.bib"),
            "@article{umarsignal,\n  author = {Umar, Ali Hussaini},\n  title = {Signal-to-Noise Ratio and Sample Size},\n  journal = {Journal of Tests},\n  year = {2025}\n}\n");
        _client = LspTestClient.StartInProcess(new LspServerOptions { TypingPause = Pause });
        await _client.InitializeAsync(new LSP.InitializeParams { RootUri = DocumentUris.FromPath(_root), Capabilities = LspTestClient.FullCapabilities });
        await _client.Server!.Started;
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private static bool Flags(LSP.PublishDiagnosticsParams d, string key) =>
        d.Diagnostics.Any(x => x.Code?.ToString() == "unknown-key" && x.Message.Contains($"`{key}`", StringComparison.Ordinal));

    /// <summary>Types text one character at a time at the end of line 2, waiting for each version's first publish; returns the last version.</summary>
    private async Task<int> TypeAsync(string uri, string text, string partialKeyPrefix)
    {
        var version = 0;
        foreach (var c in text)
        {
            var column = _client.TextOf(uri).Split('\n')[2].Length;
            var mark = _client.Mark();
            await _client.InsertAsync(uri, 2, column, c.ToString());
            version = _client.VersionOf(uri);
            var published = await _client.WaitForDiagnosticsAsync(uri, d => d.Version == version, after: mark);
            // While the key is typed, the key typed so far is never flagged.
            Assert.DoesNotContain(published.Diagnostics, x => x.Code?.ToString() == "unknown-key" && x.Message.Contains("`" + partialKeyPrefix, StringComparison.Ordinal));
        }
        return version;
    }

    [Fact]
    public async Task A_key_being_typed_is_flagged_only_once_the_writer_pauses()
    {
        var uri = DocumentUris.FromPath(Path.Combine(_root, "note.md"));
        await _client.OpenAsync(uri, "# Notes\n\nSee [@nosuchkey] and ");
        // The open version flags the key that is there (not being typed): other diagnostics are not held.
        Assert.True(Flags(await _client.WaitForDiagnosticsAsync(uri, d => d.Version == 1), "nosuchkey"));

        var mark = _client.Mark();
        var last = await TypeAsync(uri, "[@umarsign", "umars");

        // The writer pauses: the same version is published again, now with the error.
        var held = await _client.WaitForDiagnosticsAsync(uri, d => d.Version == last && Flags(d, "umarsign"), timeout: Pause * 3, after: mark);
        Assert.True(Flags(held, "nosuchkey"));
        var ofLast = _client.DiagnosticsFor(uri).Where(d => d.Version == last).ToList();
        Assert.False(Flags(ofLast[0], "umarsign"));
    }

    [Fact]
    public async Task An_edit_elsewhere_publishes_the_error_at_once()
    {
        var uri = DocumentUris.FromPath(Path.Combine(_root, "note.md"));
        await _client.OpenAsync(uri, "# Notes\n\nSee ");
        await _client.WaitForDiagnosticsAsync(uri, d => d.Version == 1);
        var last = await TypeAsync(uri, "[@zzq", "zz");

        // The writer goes to the heading: that version's first publish flags the key left behind.
        var mark = _client.Mark();
        await _client.InsertAsync(uri, 0, 7, "!");
        var elsewhere = await _client.WaitForDiagnosticsAsync(uri, d => d.Version == last + 1, after: mark);
        Assert.True(Flags(elsewhere, "zzq"));
    }

    /// <summary>
    /// The same hold for a client that pulls (VS Code does): each version's pull while the key is typed leaves the
    /// key out; once the writer pauses the server asks for a pull again (workspace/diagnostic/refresh), and that
    /// pull of the same version has the error.
    /// </summary>
    [Fact]
    public async Task A_client_that_pulls_gets_the_key_being_typed_only_once_the_writer_pauses()
    {
        await using var client = LspTestClient.StartInProcess(new LspServerOptions { TypingPause = Pause });
        var capabilities = LspTestClient.FullCapabilities with
        {
            TextDocument = LspTestClient.FullCapabilities.TextDocument! with { Diagnostic = new LSP.DiagnosticClientCapabilities(DynamicRegistration: true) },
            Workspace = LspTestClient.FullCapabilities.Workspace! with { Diagnostics = new LSP.DiagnosticWorkspaceClientCapabilities(RefreshSupport: true) },
        };
        await client.InitializeAsync(new LSP.InitializeParams { RootUri = DocumentUris.FromPath(_root), Capabilities = capabilities });
        await client.Server!.Started;
        var uri = DocumentUris.FromPath(Path.Combine(_root, "pulled.md"));
        await client.OpenAsync(uri, "# Notes\n\nSee [@nosuchkey] and ");

        Task<LSP.DocumentDiagnosticReport> Pull() => client.RequestAsync<LSP.DocumentDiagnosticReport>(LSP.Methods.TextDocumentDiagnostic,
            new LSP.DocumentDiagnosticParams(new LSP.TextDocumentIdentifier(uri)));
        static bool Has(LSP.DocumentDiagnosticReport r, string key) =>
            r.Items!.Any(x => x.Code?.ToString() == "unknown-key" && x.Message.Contains($"`{key}", StringComparison.Ordinal));

        Assert.True(Has(await Pull(), "nosuchkey"));
        var mark = 0;
        foreach (var c in "[@umarsign")
        {
            var column = client.TextOf(uri).Split('\n')[2].Length;
            await client.InsertAsync(uri, 2, column, c.ToString());
            mark = client.Mark();
            var report = await Pull();
            Assert.False(Has(report, "umars"), $"The key being typed is reported after '{c}'.");
            Assert.True(Has(report, "nosuchkey"));
        }
        // The writer pauses: the server asks for a pull, and the pull reports the key.
        while (true)
        {
            var refresh = await client.WaitForAsync(m => m.Method == LSP.Methods.WorkspaceDiagnosticRefresh, after: mark, timeout: Pause * 3, what: "a refresh once the writer pauses");
            if (Has(await Pull(), "umarsign")) break;
            mark = refresh.Index + 1;
        }
    }
}
