using System.Collections.Immutable;
using BibServer.Core.Features;
using BibServer.Core.Text;
using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Protocol;

/// <summary>
/// The diagnostics publisher: when it publishes, which version each publish carries, and that stale results
/// never reach the client. The provider here reports every "TODO", standing in for the core's diagnostics.
/// </summary>
public class DiagnosticsTests
{
    private const string Uri = "file:///notes/survey.md";

    private static ImmutableArray<FileDiagnostic> Todos(ServerSnapshot snapshot, OpenDocument document, CancellationToken cancellationToken)
    {
        var problems = ImmutableArray.CreateBuilder<FileDiagnostic>();
        for (var at = document.Text.IndexOf("TODO", StringComparison.Ordinal); at >= 0; at = document.Text.IndexOf("TODO", at + 1, StringComparison.Ordinal))
        {
            problems.Add(new FileDiagnostic(new Problem(Severity.Warning, "Something is left to do.", new TextSpan(at, 4), "todo"), ""));
        }
        return problems.ToImmutable();
    }

    private static LSP.InitializeParams Verbose => new() { Trace = LSP.TraceValue.Verbose, Capabilities = LspTestClient.FullCapabilities };

    [Fact]
    public async Task Opening_a_document_publishes_its_diagnostics_at_once_with_its_version_in_UTF16_columns()
    {
        await using var client = LspTestClient.StartInProcess(new LspServerOptions { Diagnostics = Todos, DiagnosticsDelay = TimeSpan.FromMinutes(5) });
        await client.InitializeAsync();

        await client.OpenAsync(Uri, "# 😀 Survey\nTODO: cite [@a]. 😀 TODO\n", version: 3);

        // The long delay shows that opening does not wait for it.
        var published = await client.WaitForDiagnosticsAsync(Uri);
        Assert.Equal(3, published.Version);
        Assert.Equal(
            ["1:0-1:4 Warning todo bibserver: Something is left to do.", "1:20-1:24 Warning todo bibserver: Something is left to do."],
            published.Diagnostics.Select(Describe));
    }

    [Fact]
    public async Task The_edit_rehearsed_after_the_first_diagnostics_leaves_no_trace()
    {
        // The server rehearses a keystroke (a citation added at the end) on a copy of the first note it checks,
        // so that the user's first keystroke does not wait for that code to be compiled. The provider reports
        // "[@" too: a rehearsal that leaked would publish it, or move the document on.
        static ImmutableArray<FileDiagnostic> TodosAndA(ServerSnapshot snapshot, OpenDocument document, CancellationToken token) =>
            [.. Todos(snapshot, document, token), .. document.Text.Contains("[@", StringComparison.Ordinal) ? [new FileDiagnostic(new Problem(Severity.Error, "a citation", new TextSpan(0, 1)), "")] : Array.Empty<FileDiagnostic>()];
        await using var client = LspTestClient.StartInProcess(new LspServerOptions { Diagnostics = TodosAndA });
        await client.InitializeAsync(Verbose);
        await client.OpenAsync(Uri, "TODO: a survey.\n");

        await client.WaitForLogAsync($"Rehearsed an edit of {Uri}");
        await client.BarrierAsync();

        var published = Assert.Single(client.DiagnosticsFor(Uri));
        Assert.Equal(1, published.Version);
        Assert.Equal(["0:0-0:4 Warning todo bibserver: Something is left to do."], published.Diagnostics.Select(Describe));
        Assert.Equal(1, client.Server!.State.Current.Documents.Get(Uri)!.Version);
        Assert.Equal("TODO: a survey.\n", client.Server.State.Current.Documents.Get(Uri)!.Text);
    }

    [Fact]
    public async Task A_burst_of_edits_is_published_once_after_the_last_with_the_last_version()
    {
        await using var client = LspTestClient.StartInProcess(new LspServerOptions { Diagnostics = Todos, DiagnosticsDelay = TimeSpan.FromMilliseconds(300) });
        await client.InitializeAsync();
        await client.OpenAsync(Uri, "text\n");
        await client.WaitForDiagnosticsAsync(Uri, d => d.Version == 1);

        foreach (var character in "TODO") await client.InsertAsync(Uri, 0, client.TextOf(Uri).IndexOf('\n'), character.ToString());

        var published = await client.WaitForDiagnosticsAsync(Uri, d => d.Version == 5);
        Assert.Equal(["0:4-0:8 Warning todo bibserver: Something is left to do."], published.Diagnostics.Select(Describe));
        Assert.Equal([1, 5], client.DiagnosticsFor(Uri).Select(d => d.Version));
    }

    [Fact]
    public async Task A_result_computed_for_a_version_that_was_replaced_meanwhile_is_dropped()
    {
        var computingVersion2 = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseVersion2 = new ManualResetEventSlim();
        ImmutableArray<FileDiagnostic> Slow(ServerSnapshot snapshot, OpenDocument document, CancellationToken cancellationToken)
        {
            if (document.Version == 2)
            {
                computingVersion2.SetResult();
                // Ignores the cancellation on purpose: a provider that finishes late must still not publish.
                releaseVersion2.Wait(LspTestClient.DefaultTimeout);
            }
            return Todos(snapshot, document, cancellationToken);
        }
        await using var client = LspTestClient.StartInProcess(new LspServerOptions { Diagnostics = Slow, DiagnosticsDelay = TimeSpan.Zero });
        await client.InitializeAsync(Verbose);
        await client.OpenAsync(Uri, "TODO\n");
        await client.WaitForDiagnosticsAsync(Uri, d => d.Version == 1);

        await client.InsertAsync(Uri, 0, 0, "x");
        await computingVersion2.Task.WaitAsync(LspTestClient.DefaultTimeout);
        await client.InsertAsync(Uri, 0, 0, "y");
        await client.WaitForDiagnosticsAsync(Uri, d => d.Version == 3);
        releaseVersion2.Set();

        await client.WaitForLogAsync($"Dropped diagnostics for {Uri} version 2");
        Assert.Equal([1, 3], client.DiagnosticsFor(Uri).Select(d => d.Version));
    }

    [Fact]
    public async Task Closing_a_document_clears_its_diagnostics()
    {
        await using var client = LspTestClient.StartInProcess(new LspServerOptions { Diagnostics = Todos });
        await client.InitializeAsync();
        await client.OpenAsync(Uri, "TODO\n");
        await client.WaitForDiagnosticsAsync(Uri, d => d.Diagnostics.Count == 1);

        await client.CloseAsync(Uri);

        var cleared = await client.WaitForDiagnosticsAsync(Uri, d => d.Diagnostics.Count == 0);
        Assert.Null(cleared.Version);
    }

    [Fact]
    public async Task A_settings_change_publishes_every_open_document_again()
    {
        await using var client = LspTestClient.StartInProcess(new LspServerOptions { Diagnostics = Todos, DiagnosticsDelay = TimeSpan.Zero });
        await client.InitializeAsync();
        await client.OpenAsync(Uri, "TODO\n");
        await client.OpenAsync("file:///notes/other.md", "nothing\n");
        await client.WaitForDiagnosticsAsync("file:///notes/other.md");
        var mark = client.Mark();

        await client.NotifyJsonAsync(LSP.Methods.WorkspaceDidChangeConfiguration, """{"settings": {"bibserver": {"libraries": ["refs.bib"]}}}""");

        await client.WaitForDiagnosticsAsync(Uri, after: mark);
        await client.WaitForDiagnosticsAsync("file:///notes/other.md", after: mark);
    }

    [Fact]
    public async Task Without_a_provider_nothing_is_published()
    {
        var delay = TimeSpan.FromMilliseconds(50);
        await using var client = LspTestClient.StartInProcess(new LspServerOptions { Diagnostics = null, DiagnosticsDelay = delay });
        await client.InitializeAsync();

        await client.OpenAsync(Uri, "TODO\n");
        await client.InsertAsync(Uri, 0, 0, "x");
        // An absence has no event to wait for: the test waits well past the debounce (the document still open,
        // so nothing cancels a publish that was due), then makes sure all the server sent meanwhile arrived.
        // A publish after the edit would be in by then, and the test would fail.
        await Task.Delay(delay * 10);
        await client.BarrierAsync();
        Assert.DoesNotContain(client.Received, m => m.Method == LSP.Methods.TextDocumentPublishDiagnostics);

        await client.CloseAsync(Uri);
        await client.BarrierAsync();
        Assert.DoesNotContain(client.Received, m => m.Method == LSP.Methods.TextDocumentPublishDiagnostics);
    }

    private static string Describe(LSP.Diagnostic d) =>
        $"{d.Range.Start.Line}:{d.Range.Start.Character}-{d.Range.End.Line}:{d.Range.End.Character} {d.Severity} {d.Code} {d.Source}: {d.Message}";
}
