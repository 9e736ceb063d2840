using BibServer.Documents;
using LSP = BibServer.Protocol;
using static BibServer.Server.Tests.EndToEnd.ExamplesWorkspace;

namespace BibServer.Server.Tests.EndToEnd;

/// <summary>
/// A paper's annotations over JSON-RPC, on a copy of examples/: the hover of a citation in one note shows what
/// other notes say of the paper, follows their edits at once, and forgets a note deleted on disk.
/// </summary>
public sealed class ExamplesAnnotationTests
{
    private const string Extra = "notes/extra.md";
    private const string ExtraSentence = "The extra note says that noise sets the alignment [@umarsignal].";

    [Fact]
    public async Task Editing_a_note_changes_another_notes_hover_of_the_same_paper()
    {
        await using var ws = await StartAsync();
        var survey = await ws.OpenAsync(Survey);
        var log = await ws.OpenAsync(ReadingLog);
        await ws.WaitForIndexedAsync(95);
        var at = PositionOf(ws.Read(Survey), "@umarsignal show", 3);

        var before = await HoverTextAsync(ws, survey, at);
        Assert.Contains("You wrote about it in 1 note.", before);

        await ws.AppendLineAsync(log, "- @umarsignal find alignment smallest near the interpolation threshold.");
        var after = await HoverTextAsync(ws, survey, at);
        Assert.Contains("You wrote about it in 2 notes", after);
        Assert.Contains("> @umarsignal find alignment smallest near the interpolation threshold.", after);
        Assert.Contains("reading-log.md:", after);

        await ws.ReplaceAsync(log, "smallest near the interpolation threshold", "largest far from it");
        var edited = await HoverTextAsync(ws, survey, at);
        Assert.Contains("> @umarsignal find alignment largest far from it.", edited);
        Assert.DoesNotContain("interpolation threshold.", edited.Split("---")[^1]);
    }

    [Fact]
    public async Task A_note_on_disk_counts_until_it_is_deleted()
    {
        await using var ws = await StartAsync(root => File.WriteAllText(Path.Combine(root, Extra), $"# Extra\n\n{ExtraSentence} Nothing more.\n"));
        var survey = await ws.OpenAsync(Survey);
        await ws.WaitForIndexedAsync(95);
        await ws.Client.WaitForLogAsync(l => l.Message.Contains("] Indexed ", StringComparison.Ordinal) && l.Message.EndsWith(" notes.", StringComparison.Ordinal));
        var at = PositionOf(ws.Read(Survey), "@umarsignal show", 3);

        var before = await HoverTextAsync(ws, survey, at);
        Assert.Contains($"> {ExtraSentence}", before);
        Assert.Contains("You wrote about it in 2 notes", before);

        File.Delete(ws.PathOf(Extra));
        await ws.Client.NotifyAsync(LSP.Methods.WorkspaceDidChangeWatchedFiles, new LSP.DidChangeWatchedFilesParams(
            [new LSP.FileEvent(DocumentUris.FromPath(ws.PathOf(Extra)), LSP.FileChangeType.Deleted)]));
        await ws.Client.WaitForLogAsync(l => l.Message.Contains("Files changed: deleted ", StringComparison.Ordinal) && l.Message.Contains("extra.md"));

        var after = await HoverTextAsync(ws, survey, at);
        Assert.DoesNotContain(ExtraSentence, after);
        Assert.Contains("You wrote about it in 1 note.", after);
    }

    [Fact]
    public async Task The_editor_lists_the_papers_not_cited_yet_and_gets_the_annotated_bibliography_as_text()
    {
        await using var ws = await StartAsync();
        await ws.WaitForIndexedAsync(95);
        await ws.Client.WaitForLogAsync(l => l.Message.Contains("] Indexed ", StringComparison.Ordinal) && l.Message.EndsWith(" notes.", StringComparison.Ordinal));

        var check = await Harness.BibServerProcess.RunAsync(ws.Root, "check", "--unused", ".");
        var expected = check.StdoutLines.Where(l => l.Contains(": info: ")).Select(l => l.Split('`')[1]).ToList();
        var byLibrary = await ws.Client.RequestAsync<LSP.PapersNotCitedResult>("bibserver/papersNotCited", new LSP.PapersNotCitedParams());
        Assert.Equal(95, byLibrary.Total);
        Assert.Equal(expected, byLibrary.Papers.Select(p => p.Key));
        var byTitle = await ws.Client.RequestAsync<LSP.PapersNotCitedResult>("bibserver/papersNotCited", new LSP.PapersNotCitedParams("title"));
        Assert.Equal(byLibrary.Papers.Select(p => p.Title).Order(StringComparer.OrdinalIgnoreCase), byTitle.Papers.Select(p => p.Title));
        var first = byLibrary.Papers[0];
        Assert.Equal(DocumentUris.FromPath(ws.PathOf(PlainList)), first.Location.Uri);

        var survey = await ws.OpenAsync(Survey);
        var bibliography = await ws.Client.RequestAsync<LSP.AnnotatedBibliographyResult>("bibserver/annotatedBibliography", new LSP.AnnotatedBibliographyParams(survey));
        var export = await Harness.BibServerProcess.RunAsync(ws.Root, "export", "--annotated", Survey);
        Assert.Equal(export.Stdout, bibliography.Markdown);
        Assert.Equal(1, bibliography.Notes);
    }

    [Fact]
    public async Task A_quick_fix_creates_the_literature_note_of_a_cited_paper_through_a_workspace_edit()
    {
        await using var ws = await StartAsync();
        var survey = await ws.OpenAsync(Survey);
        await ws.WaitForIndexedAsync(95);
        var at = PositionOf(ws.Read(Survey), "@umarsignal show", 3);

        var actions = await ws.Client.RequestAsync<LSP.CodeAction[]>(LSP.Methods.TextDocumentCodeAction, new LSP.CodeActionParams(
            new LSP.TextDocumentIdentifier(survey), new LSP.Range(at, at), new LSP.CodeActionContext([])));

        var fix = Assert.Single(actions, a => a.Title == "Create a literature note for `umarsignal`");
        Assert.Null(fix.Diagnostics);
        var changes = fix.Edit!.DocumentChanges!;
        var target = DocumentUris.FromPath(ws.PathOf("notes/papers/umarsignal.md"));
        Assert.Equal("create", changes[0].GetProperty("kind").GetString());
        Assert.Equal(target, changes[0].GetProperty("uri").GetString());
        Assert.True(changes[0].GetProperty("options").GetProperty("ignoreIfExists").GetBoolean());
        var text = changes[1].GetProperty("edits")[0].GetProperty("newText").GetString()!;
        Assert.Equal(target, changes[1].GetProperty("textDocument").GetProperty("uri").GetString());
        // The new note is a literature note of the paper, by its front matter, with the abstract quoted.
        var note = Core.Notes.NoteParser.Parse(ws.PathOf("notes/papers/umarsignal.md"), text);
        Assert.Equal("umarsignal", Core.Annotations.LiteratureNotes.FrontMatterKey(note));
        Assert.Contains("Signal-to-Noise Ratio and Sample Size Govern Representational Alignment in Neural Networks", text);
        Assert.Contains("\n> Neural networks are known to develop latent representations", text);
        Assert.False(File.Exists(ws.PathOf("notes/papers/umarsignal.md")), "the server writes no file");
    }

    private static async Task<string> HoverTextAsync(ExamplesWorkspace ws, string uri, LSP.Position at)
    {
        var hover = await ws.Client.HoverAsync(uri, at.Line, at.Character);
        Assert.NotNull(hover);
        return hover.Contents.Value;
    }
}
