using System.Text.Json;
using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;
using static BibServer.Server.Tests.EndToEnd.ExamplesWorkspace;

namespace BibServer.Server.Tests.EndToEnd;

/// <summary>
/// Pull diagnostics (textDocument/diagnostic, workspace/diagnostic) for a client that announces them, over
/// JSON-RPC to the built server as a process, on a copy of examples/. Its two notes with a broken citation are
/// alignment-survey.md (`umarsignl`, line 26) and positional-encodings.md (`safety2023alignment`, line 19).
/// </summary>
public sealed class PullDiagnosticsTests
{
    private const string SurveyBroken = "25:59-25:68 error unknown-key: Unknown citation key `umarsignl`: no library of this note has it. Closest: `umarsignal`.";
    private const string EncodingsBroken = "18:49-18:68 error unknown-key: Unknown citation key `safety2023alignment`: no library of this note has it. "
        + "Closest: `safety2024alignment`, `alignment2025safety`, `alignment2023honesty`.";

    /// <summary>What VS Code (vscode-languageclient 11) says about pull diagnostics, on top of the usual.</summary>
    private static LSP.ClientCapabilities Pulling { get; } = LspTestClient.FullCapabilities with
    {
        TextDocument = LspTestClient.FullCapabilities.TextDocument! with { Diagnostic = new LSP.DiagnosticClientCapabilities(DynamicRegistration: true) },
        Workspace = LspTestClient.FullCapabilities.Workspace! with { Diagnostics = new LSP.DiagnosticWorkspaceClientCapabilities(RefreshSupport: true) },
    };

    private static Task<LSP.DocumentDiagnosticReport> PullAsync(ExamplesWorkspace ws, string uri, string? previous = null) =>
        ws.Client.RequestAsync<LSP.DocumentDiagnosticReport>(LSP.Methods.TextDocumentDiagnostic,
            new LSP.DocumentDiagnosticParams(new LSP.TextDocumentIdentifier(uri)) { PreviousResultId = previous });

    private static Task<LSP.WorkspaceDiagnosticReport> PullWorkspaceAsync(ExamplesWorkspace ws, IReadOnlyList<LSP.PreviousResultId>? previous = null) =>
        ws.Client.RequestAsync<LSP.WorkspaceDiagnosticReport>(LSP.Methods.WorkspaceDiagnostic, new LSP.WorkspaceDiagnosticParams { PreviousResultIds = previous ?? [] });

    /// <summary>A workspace report as one line per file: its path in the copy, kind, version, and diagnostics.</summary>
    private static IEnumerable<string> Describe(ExamplesWorkspace ws, LSP.WorkspaceDiagnosticReport report) =>
        report.Items.Select(i => $"{Path.GetRelativePath(ws.Root, DocumentUris.ToPath(i.Uri)!)} {i.Kind} v{i.Version?.ToString() ?? "null"}"
                + (i.Items is null ? "" : $": [{string.Join(" | ", i.Items.Select(Show))}]"))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// Pulls the workspace after each workspace/diagnostic/refresh the server sends from <paramref name="mark"/> on,
    /// until a report is as wanted: the server asks again when what it read changes, and a refresh sent for an
    /// earlier change (the notes read at start-up) may come first.
    /// </summary>
    private static async Task<LSP.WorkspaceDiagnosticReport> PullAfterRefreshAsync(
        ExamplesWorkspace ws, int mark, Func<LSP.WorkspaceDiagnosticReport, bool> wanted, string what, IReadOnlyList<LSP.PreviousResultId>? previous = null)
    {
        while (true)
        {
            var refresh = await ws.Client.WaitForAsync(m => m.Method == LSP.Methods.WorkspaceDiagnosticRefresh, after: mark, what: $"workspace/diagnostic/refresh ({what})");
            var report = await PullWorkspaceAsync(ws, previous);
            if (wanted(report)) return report;
            mark = refresh.Index + 1;
        }
    }

    [Fact]
    public async Task A_client_that_pulls_is_offered_pull_diagnostics_and_one_that_does_not_is_not()
    {
        await using var pulling = await StartAsync(capabilities: Pulling);
        var offered = JsonSerializer.SerializeToElement(pulling.InitializeResult!.Capabilities, LSP.LspJson.Options).GetProperty("diagnosticProvider");
        Assert.Equal("""{"interFileDependencies":true,"workspaceDiagnostics":true}""", offered.GetRawText());

        await using var pushed = await StartAsync();
        var capabilities = JsonSerializer.SerializeToElement(pushed.InitializeResult!.Capabilities, LSP.LspJson.Options);
        Assert.False(capabilities.TryGetProperty("diagnosticProvider", out _));
    }

    [Fact]
    public async Task An_open_note_pulled_at_once_waits_for_the_libraries_and_gets_its_broken_citation_and_nothing_is_pushed()
    {
        await using var ws = await StartAsync(capabilities: Pulling);
        // Asked right after opening, while the workspace is still being read: the answer waits for the libraries
        // rather than calling every key unknown, or none.
        var uri = await ws.OpenAsync(Survey);
        var report = await PullAsync(ws, uri);
        Assert.Equal("full", report.Kind);
        Assert.Equal([SurveyBroken], report.Items!.Select(Show));

        // Asked again with the result id: nothing changed.
        var again = await PullAsync(ws, uri, report.ResultId);
        Assert.Equal(("unchanged", report.ResultId, true), (again.Kind, again.ResultId, again.Items is null));

        // The key mended: a full report without it, under another id.
        await ws.ReplaceAsync(uri, "[@umarsignl]", "[@umarsignal]");
        var mended = await PullAsync(ws, uri, report.ResultId);
        Assert.Equal("full", mended.Kind);
        Assert.Empty(mended.Items!);
        Assert.NotEqual(report.ResultId, mended.ResultId);

        // A client that pulls is pushed nothing: it would show every problem twice.
        await ws.Client.BarrierAsync();
        Assert.DoesNotContain(ws.Client.Received, m => m.Method == LSP.Methods.TextDocumentPublishDiagnostics);
    }

    [Fact]
    public async Task The_workspace_pull_reports_the_broken_citations_of_notes_that_are_not_open_and_then_that_nothing_changed()
    {
        await using var ws = await StartAsync(capabilities: Pulling);
        // Asked at once: the answer waits for the libraries and for the notes on disk, read just after them.
        var report = await PullWorkspaceAsync(ws);
        Assert.Equal(
            [
                $"notes/alignment-survey.md full vnull: [{SurveyBroken}]",
                $"notes/positional-encodings.md full vnull: [{EncodingsBroken}]",
                "notes/reading-log.md full vnull: []",
            ],
            Describe(ws, report));

        var unchanged = await PullWorkspaceAsync(ws, [.. report.Items.Select(i => new LSP.PreviousResultId(i.Uri, i.ResultId))]);
        Assert.Equal(
            ["notes/alignment-survey.md unchanged vnull", "notes/positional-encodings.md unchanged vnull", "notes/reading-log.md unchanged vnull"],
            Describe(ws, unchanged));

        // An open note is reported from its buffer, with its version.
        var uri = await ws.OpenAsync(Encodings);
        await ws.ReplaceAsync(uri, "[@safety2023alignment]", "[@safety2024alignment]");
        var edited = await PullWorkspaceAsync(ws, [.. report.Items.Select(i => new LSP.PreviousResultId(i.Uri, i.ResultId))]);
        Assert.Equal(
            ["notes/alignment-survey.md unchanged vnull", "notes/positional-encodings.md full v2: []", "notes/reading-log.md unchanged vnull"],
            Describe(ws, edited));
    }

    [Fact]
    public async Task A_citation_style_that_cannot_be_used_is_pulled_with_the_note_open_or_not_and_with_bibserver_yaml()
    {
        const string NoteStyle = "1:5-1:16 warning csl-style: The citation style `missing.csl` cannot be read: no such file; "
            + "references are shown in Chicago author-date instead.";
        await using var ws = await StartAsync(prepare: root =>
        {
            var log = Path.Combine(root, "notes", "reading-log.md");
            File.WriteAllText(log, File.ReadAllText(log).Replace("---\ntitle: Reading log\n", "---\ncsl: missing.csl\ntitle: Reading log\n"));
            File.AppendAllText(Path.Combine(root, "bibserver.yaml"), "csl: nosuch\n");
        }, capabilities: Pulling);

        var report = await PullWorkspaceAsync(ws);
        var lines = Describe(ws, report).ToList();
        Assert.Contains($"notes/reading-log.md full vnull: [{NoteStyle}]", lines);
        var config = Assert.Single(lines, l => l.StartsWith("bibserver.yaml full", StringComparison.Ordinal));
        Assert.Contains("4:5-4:11 warning csl-style: The citation style `nosuch` cannot be read: no such file;", config);

        // Open, the note's pull holds the same problem (the editor's buffer, through the push path's provider).
        var uri = await ws.OpenAsync("notes/reading-log.md");
        var pulled = await PullAsync(ws, uri);
        Assert.Equal([NoteStyle], pulled.Items!.Select(Show));
    }

    [Fact]
    public async Task A_library_changed_on_disk_asks_the_client_to_pull_again_and_the_workspace_pull_shows_its_damage_and_its_mending()
    {
        await using var ws = await StartAsync(capabilities: Pulling);
        var before = await PullWorkspaceAsync(ws);
        Assert.DoesNotContain(before.Items, i => i.Uri == ws.Uri(Classics));
        var original = ws.Read(Classics);
        var mark = ws.Client.Mark();
        // An entry whose closing brace is lost: a problem of the library file, which no note has open.
        File.WriteAllText(ws.PathOf(Classics), original + "\n@article{broken2024entry,\n  title = {Never closed},\n");
        await ws.Client.NotifyAsync(LSP.Methods.WorkspaceDidChangeWatchedFiles, new LSP.DidChangeWatchedFilesParams([new LSP.FileEvent(ws.Uri(Classics), LSP.FileChangeType.Changed)]));
        var damaged = await PullAfterRefreshAsync(ws, mark, r => r.Items.Any(i => i.Uri == ws.Uri(Classics)), "the library's problems");
        var library = Assert.Single(damaged.Items, i => i.Uri == ws.Uri(Classics));
        Assert.Equal("full", library.Kind);
        Assert.NotEmpty(library.Items!);
        Assert.All(library.Items!, d => Assert.True(d.Range.Start.Line >= original.Count(c => c == '\n'), $"A problem before the damage: {Show(d)}"));

        mark = ws.Client.Mark();
        File.WriteAllText(ws.PathOf(Classics), original);
        await ws.Client.NotifyAsync(LSP.Methods.WorkspaceDidChangeWatchedFiles, new LSP.DidChangeWatchedFilesParams([new LSP.FileEvent(ws.Uri(Classics), LSP.FileChangeType.Changed)]));
        var previous = damaged.Items.Select(i => new LSP.PreviousResultId(i.Uri, i.ResultId)).ToList();
        var mended = await PullAfterRefreshAsync(ws, mark, r => r.Items.Any(i => i.Uri == ws.Uri(Classics) && i.Items is { Count: 0 }), "the library cleared", previous);
        // The library the client was told about is cleared; the notes are as they were.
        Assert.Equal("full", Assert.Single(mended.Items, i => i.Uri == ws.Uri(Classics)).Kind);
        Assert.Empty(Assert.Single(mended.Items, i => i.Uri == ws.Uri(Classics)).Items!);
        Assert.All(mended.Items.Where(i => i.Uri != ws.Uri(Classics)), i => Assert.Equal("unchanged", i.Kind));
    }
}
