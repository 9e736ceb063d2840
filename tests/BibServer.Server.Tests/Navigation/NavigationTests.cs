using System.Diagnostics;
using System.Text.Json;
using BibServer.Core.Text;
using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using StreamJsonRpc;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Navigation;

/// <summary>
/// Navigation end to end: the real server process over JSON-RPC, on a copy of examples/ in a temporary
/// folder (real files, read at start), with one note added that cites papers the other notes cite too.
/// </summary>
public class NavigationTests : IAsyncLifetime
{
    private const string ExtraNote = """
        ---
        bibliography: ../classics.bib
        ---
        # More notes

        @umarsignal again, and together [@umarsignal; @robbins1951stochastic, p. 400].
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-navigation-").FullName;
    private LspTestClient _client = null!;

    private string NotePath(string name) => Path.Combine(_root, "notes", name);

    private string Uri(string path) => DocumentUris.FromPath(path);

    public async Task InitializeAsync()
    {
        CopyFolder(Path.Combine(TestData.Root, "examples"), _root);
        File.WriteAllText(NotePath("extra.md"), ExtraNote);
        _client = await LspTestClient.StartProcessAsync();
        var capabilities = LspTestClient.FullCapabilities with
        {
            TextDocument = LspTestClient.FullCapabilities.TextDocument! with
            {
                DocumentSymbol = new LSP.DocumentSymbolClientCapabilities(HierarchicalDocumentSymbolSupport: true),
                Rename = new LSP.RenameClientCapabilities(PrepareSupport: true),
            },
        };
        await _client.InitializeAsync(new LSP.InitializeParams
        {
            ProcessId = Environment.ProcessId,
            RootUri = Uri(_root),
            Trace = LSP.TraceValue.Messages,
            Capabilities = capabilities,
        });
        await _client.WaitForLogAsync("Indexed", timeout: TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<string> OpenAsync(string path, string languageId = "markdown")
    {
        var text = File.ReadAllText(path);
        await _client.OpenAsync(Uri(path), text, languageId);
        return text;
    }

    [Fact]
    public async Task Definition_of_a_citation_lands_on_the_title_line_in_the_seed_list()
    {
        var note = NotePath("alignment-survey.md");
        var text = await OpenAsync(note);

        var found = await _client.RequestAsync<LSP.Location[]>(LSP.Methods.TextDocumentDefinition,
            new LSP.DefinitionParams(new LSP.TextDocumentIdentifier(Uri(note)), PositionOf(text, "@umarsignal show", 3)));

        var location = Assert.Single(found);
        var seed = Path.Combine(_root, "papers", "000_15c1982a7ee950de.txt");
        Assert.Equal(Uri(seed), location.Uri);
        Assert.Equal("Signal-to-Noise Ratio and Sample Size Govern Representational Alignment in Neural Networks", TextAt(File.ReadAllText(seed), location.Range));
        Assert.Equal(1, location.Range.Start.Line);
    }

    [Fact]
    public async Task References_of_a_key_come_from_every_note_open_or_only_on_disk()
    {
        var note = NotePath("alignment-survey.md");
        var text = await OpenAsync(note);

        var found = await _client.RequestAsync<LSP.Location[]>(LSP.Methods.TextDocumentReferences,
            new LSP.ReferenceParams(new LSP.TextDocumentIdentifier(Uri(note)), PositionOf(text, "@umarsignal show", 1), new LSP.ReferenceContext(IncludeDeclaration: true)));

        var extra = File.ReadAllText(NotePath("extra.md"));
        Assert.Equal(
        [
            $"{Uri(Path.Combine(_root, "papers", "000_15c1982a7ee950de.txt"))} Signal-to-Noise Ratio and Sample Size Govern Representational Alignment in Neural Networks",
            $"{Uri(note)} umarsignal",
            $"{Uri(NotePath("extra.md"))} umarsignal",
            $"{Uri(NotePath("extra.md"))} umarsignal",
        ], found.Select(l => $"{l.Uri} {TextAt(l.Uri == Uri(note) ? text : File.ReadAllText(DocumentUris.ToPath(l.Uri)!), l.Range)}"));
        Assert.Equal(PositionOf(extra, "@umarsignal again", 1), found[2].Range.Start);
    }

    [Fact]
    public async Task Renaming_a_BibTeX_key_edits_the_entry_and_every_citation_and_check_still_resolves_them()
    {
        var bib = Path.Combine(_root, "classics.bib");
        var text = await OpenAsync(bib, "bibtex");
        var position = PositionOf(text, "robbins1951stochastic", 4);

        var prepared = await _client.RequestAsync<LSP.PrepareRenameResult>(LSP.Methods.TextDocumentPrepareRename,
            new LSP.PrepareRenameParams(new LSP.TextDocumentIdentifier(Uri(bib)), position));
        Assert.Equal("robbins1951stochastic", prepared.Placeholder);
        var edit = await _client.RequestAsync<LSP.WorkspaceEdit>(LSP.Methods.TextDocumentRename,
            new LSP.RenameParams(new LSP.TextDocumentIdentifier(Uri(bib)), position, "robbins1951monro"));

        Assert.Equal([Uri(bib), Uri(NotePath("alignment-survey.md")), Uri(NotePath("extra.md"))], edit.Changes!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, edit.Changes.Values.Sum(e => e.Count));
        WorkspaceEdits.ApplyToDisk(edit);

        var files = Directory.GetFiles(_root, "*", SearchOption.AllDirectories);
        Assert.DoesNotContain(files, f => File.ReadAllText(f).Contains("robbins1951stochastic"));
        var (code, output) = Run(LspTestClient.ServerCommand[0], [.. LspTestClient.ServerCommand.Skip(1), "check", _root]);
        Assert.Equal(1, code);
        Assert.Contains("checked 4 notes, 32 citations: 2 errors, 0 warnings", output);
        Assert.Equal(2, output.Split('\n').Count(l => l.Contains(": error: ")));
        Assert.Contains("`umarsignl`", output);
        Assert.Contains("`safety2023alignment`", output);

        // pandoc, with the note's own bibliography, finds the renamed entry under its new key.
        var (pandocCode, rendered) = Run("/usr/bin/pandoc", ["--citeproc", "-f", "markdown", "-t", "plain", "extra.md"], Path.Combine(_root, "notes"));
        Assert.Equal(0, pandocCode);
        Assert.Contains("Robbins and Monro 1951", rendered);
        Assert.DoesNotContain("robbins1951monro", rendered);
    }

    [Fact]
    public async Task Prepare_rename_on_a_generated_key_is_refused_with_how_to_pin_keys()
    {
        var note = NotePath("alignment-survey.md");
        var text = await OpenAsync(note);

        var error = await Assert.ThrowsAsync<RemoteInvocationException>(() => _client.RequestAsync<LSP.PrepareRenameResult>(LSP.Methods.TextDocumentPrepareRename,
            new LSP.PrepareRenameParams(new LSP.TextDocumentIdentifier(Uri(note)), PositionOf(text, "@townmildly", 2))));

        Assert.Equal(LSP.ErrorCodes.RequestFailed, error.ErrorCode);
        Assert.StartsWith("`townmildly` cannot be renamed: BibServer made this key for a paper of a scraped list (000_15c1982a7ee950de.txt:5)", error.Message);
        Assert.Contains("`bibserver export --format bibtex papers/*.txt > papers.bib`", error.Message);
    }

    [Fact]
    public async Task The_quick_fix_for_a_misspelt_key_replaces_it_and_the_diagnostic_goes_away()
    {
        var note = NotePath("alignment-survey.md");
        var uri = Uri(note);
        var text = await OpenAsync(note);
        var published = await _client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Any(x => x.Code == "unknown-key"));
        var diagnostic = Assert.Single(published.Diagnostics, d => d.Code == "unknown-key");
        Assert.Equal(PositionOf(text, "umarsignl"), diagnostic.Range.Start);

        var actions = await _client.RequestAsync<LSP.CodeAction[]>(LSP.Methods.TextDocumentCodeAction, new LSP.CodeActionParams(
            new LSP.TextDocumentIdentifier(uri), diagnostic.Range,
            new LSP.CodeActionContext([new LSP.CodeActionContextDiagnostic(diagnostic.Range, diagnostic.Message) { Code = LSP.LspJson.ToElement("unknown-key"), Source = "bibserver" }])));

        var fix = actions[0];
        Assert.Equal("Replace with `umarsignal`", fix.Title);
        Assert.Equal(LSP.CodeActionKind.QuickFix, fix.Kind);
        Assert.True(fix.IsPreferred);
        Assert.Equal(diagnostic.Range, Assert.Single(fix.Diagnostics!).Range);
        var change = Assert.Single(Assert.Single(fix.Edit!.Changes!, c => c.Key == uri).Value);
        var mark = _client.Mark();
        await _client.ChangeAsync(uri, change.Range.Start.Line, change.Range.Start.Character, change.Range.End.Line, change.Range.End.Character, change.NewText);

        var after = await _client.WaitForDiagnosticsAsync(uri, d => d.Version == 2, after: mark);
        Assert.DoesNotContain(after.Diagnostics, d => d.Code == "unknown-key");
        Assert.Contains("[@umarsignal]", _client.TextOf(uri));
    }

    [Fact]
    public async Task Quick_fixes_come_from_the_cursor_alone_too()
    {
        var note = NotePath("positional-encodings.md");
        var text = await OpenAsync(note);
        var cursor = PositionOf(text, "safety2023alignment", 3);

        var actions = await _client.RequestAsync<LSP.CodeAction[]>(LSP.Methods.TextDocumentCodeAction, new LSP.CodeActionParams(
            new LSP.TextDocumentIdentifier(Uri(note)), new LSP.Range(cursor, cursor), new LSP.CodeActionContext([])));

        Assert.Equal("Replace with `safety2024alignment`", actions[0].Title);
        Assert.Equal("unknown-key", actions[0].Diagnostics![0].Code);
    }

    [Fact]
    public async Task Code_lens_on_a_BibTeX_library_counts_citations_in_all_notes()
    {
        var bib = Path.Combine(_root, "classics.bib");
        var text = await OpenAsync(bib, "bibtex");

        var lenses = await _client.RequestAsync<LSP.CodeLens[]>(LSP.Methods.TextDocumentCodeLens, new LSP.CodeLensParams(new LSP.TextDocumentIdentifier(Uri(bib))));

        var lens = Assert.Single(lenses);
        Assert.Equal(PositionOf(text, "robbins1951stochastic"), lens.Range.Start);
        Assert.Equal("cited 2 times in 2 notes", lens.Command!.Title);
        Assert.Equal("editor.action.showReferences", lens.Command.Name);
        var arguments = lens.Command.Arguments!;
        Assert.Equal(Uri(bib), arguments[0].GetString());
        Assert.Equal(lens.Range.Start, arguments[1].Deserialize<LSP.Position>(LSP.LspJson.Options));
        Assert.Equal([Uri(NotePath("alignment-survey.md")), Uri(NotePath("extra.md"))],
            arguments[2].Deserialize<LSP.Location[]>(LSP.LspJson.Options)!.Select(l => l.Uri));
    }

    [Fact]
    public async Task Lenses_past_the_eager_budget_are_resolved_when_shown()
    {
        var many = NotePath("many.md");
        await _client.OpenAsync(Uri(many), string.Concat(Enumerable.Repeat("See [@robbins1951stochastic].\n", 2_001)));
        var bib = Path.Combine(_root, "classics.bib");
        await OpenAsync(bib, "bibtex");

        var lens = Assert.Single(await _client.RequestAsync<LSP.CodeLens[]>(LSP.Methods.TextDocumentCodeLens, new LSP.CodeLensParams(new LSP.TextDocumentIdentifier(Uri(bib)))));
        Assert.Null(lens.Command);
        var resolved = await _client.RequestAsync<LSP.CodeLens>(LSP.Methods.CodeLensResolve, lens);

        Assert.Equal("cited 2003 times in 3 notes", resolved.Command!.Title);
        Assert.Equal(2_003, resolved.Command.Arguments![2].GetArrayLength());
        Assert.Equal(lens.Range, resolved.Range);
    }

    [Fact]
    public async Task Other_servers_diagnostics_with_number_or_object_codes_do_not_break_code_actions()
    {
        var note = NotePath("alignment-survey.md");
        var text = await OpenAsync(note);
        var at = PositionOf(text, "umarsignl");

        var actions = await _client.RequestJsonAsync(LSP.Methods.TextDocumentCodeAction, $$$"""
            {"textDocument": {"uri": "{{{Uri(note)}}}"},
             "range": {"start": {"line": {{{at.Line}}}, "character": {{{at.Character}}}}, "end": {"line": {{{at.Line}}}, "character": {{{at.Character}}}}},
             "context": {"diagnostics": [
               {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}}, "message": "Line too long", "code": 13, "source": "markdownlint"},
               {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}}, "message": "x", "code": {"value": "MD041", "target": "https://example.org"}}
             ], "only": ["quickfix"]}}
            """);

        Assert.Equal("Replace with `umarsignal`", actions[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task Workspace_symbols_find_papers_by_author_in_every_library()
    {
        var found = await _client.RequestAsync<LSP.SymbolInformation[]>(LSP.Methods.WorkspaceSymbol, new LSP.WorkspaceSymbolParams("umar"));

        var umar = Assert.Single(found);
        Assert.Equal("umarsignal", umar.Name);
        Assert.Equal(LSP.SymbolKind.Object, umar.Kind);
        Assert.StartsWith("Umar & Laio", umar.ContainerName);
        Assert.Equal(Uri(Path.Combine(_root, "papers", "000_15c1982a7ee950de.txt")), umar.Location.Uri);
        Assert.Equal(1, umar.Location.Range.Start.Line);

        // A library that only a note names is searched too.
        var robbins = Assert.Single(await _client.RequestAsync<LSP.SymbolInformation[]>(LSP.Methods.WorkspaceSymbol, new LSP.WorkspaceSymbolParams("robbins monro")));
        Assert.Equal("robbins1951stochastic", robbins.Name);
        Assert.Equal(Uri(Path.Combine(_root, "classics.bib")), robbins.Location.Uri);
    }

    [Fact]
    public async Task Document_symbols_of_a_note_nest_citations_under_headings()
    {
        var note = NotePath("extra.md");
        await OpenAsync(note);

        var symbols = await _client.RequestJsonAsync(LSP.Methods.TextDocumentDocumentSymbol, $$$"""{"textDocument": {"uri": "{{{Uri(note)}}}"}}""");

        var heading = Assert.Single(symbols.EnumerateArray());
        Assert.Equal("More notes", heading.GetProperty("name").GetString());
        Assert.Equal(["@umarsignal", "@umarsignal", "@robbins1951stochastic"],
            heading.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Hover_on_a_library_entry_says_where_it_is_cited()
    {
        var bib = Path.Combine(_root, "classics.bib");
        var text = await OpenAsync(bib, "bibtex");

        var at = PositionOf(text, "robbins1951stochastic");
        const string Reference = "Robbins, Herbert, and Sutton Monro. 1951. “A Stochastic Approximation Method.”";
        var first = await _client.HoverAsync(Uri(bib), at.Line, 12);

        // The reference as the default style (Chicago author-date) prints it comes first once rendered; the
        // first hover waits for its render only briefly (StyleService.RenderWait) and shows the title in bold
        // until then (HoverRenderedAsync asks again once the server says the render is done).
        Assert.NotNull(first);
        Assert.True(first.Contents.Value.StartsWith(Reference, StringComparison.Ordinal)
            || first.Contents.Value.StartsWith("**A Stochastic Approximation Method**", StringComparison.Ordinal), first.Contents.Value);
        var hover = await _client.HoverRenderedAsync(Uri(bib), at.Line, 12);
        Assert.NotNull(hover);
        Assert.StartsWith(Reference, hover.Contents.Value);
        // Where it is cited, then what those notes say of it (docs/annotations.md).
        var (fields, annotations) = (hover.Contents.Value.Split("\n\n---\n\n")[0], hover.Contents.Value.Split("\n\n---\n\n")[^1]);
        Assert.EndsWith("Cited 2 times in 2 notes: alignment-survey.md:14, extra.md:6.", fields);
        Assert.StartsWith("You wrote about it in 2 notes:", annotations);
    }

    /// <summary>The position of a text's first occurrence of <paramref name="find"/>, moved on by <paramref name="plus"/> characters.</summary>
    private static LSP.Position PositionOf(string text, string find, int plus = 0)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"`{find}` is not in the text");
        var position = new LineIndex(text).GetPosition(at + plus);
        return new LSP.Position(position.Line, position.Column);
    }

    private static string TextAt(string text, LSP.Range range)
    {
        var lines = new LineIndex(text);
        var start = lines.GetOffsetClamped(new LinePosition(range.Start.Line, range.Start.Character));
        var end = lines.GetOffsetClamped(new LinePosition(range.End.Line, range.End.Character));
        return text[start..end];
    }

    private static (int Code, string Output) Run(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
