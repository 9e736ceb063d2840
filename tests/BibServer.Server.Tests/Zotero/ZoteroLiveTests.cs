using System.Text.Json;
using BibServer.Core.Tests.Zotero;
using BibServer.Documents;
using BibServer.Server.Tests.Harness;
using LSP = BibServer.Protocol;

namespace BibServer.Server.Tests.Zotero;

/// <summary>
/// A workspace that names a Zotero database, over JSON-RPC to the real server: hover and definition show the
/// Zotero item, and when another connection changes the database (as Zotero does while it runs: a title edited,
/// an item trashed, an item added) the open note's diagnostics and hover follow, without a restart and without
/// reading anything else again.
/// </summary>
public sealed class ZoteroLiveTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bibserver-zotero-live-").FullName;
    private readonly string _data;

    public ZoteroLiveTests() => _data = Directory.CreateDirectory(Path.Combine(_root, "ZoteroData")).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string DatabasePath => Path.Combine(_data, "zotero.sqlite");

    /// <summary>A Zotero library in WAL mode (as Zotero 7 keeps it) with two papers, a PDF, two highlights and a note.</summary>
    private ZoteroDatabase CreateLibrary()
    {
        var db = ZoteroDatabase.Create(DatabasePath, wal: true);
        var ada = db.AddItem("journalArticle", "Notes on the Analytical Engine", [new("Ada", "Lovelace")],
            new Dictionary<string, string> { ["citationKey"] = "lovelace1843", ["date"] = "1843-00-00 1843", ["publicationTitle"] = "Scientific Memoirs" });
        var pdf = db.AddAttachment(ada.Id, "storage:Lovelace 1843.pdf");
        db.AddAnnotation(pdf.Id, "the engine weaves algebraical patterns", comment: "the key sentence", page: "696", sortIndex: "00001|000100|00000");
        db.AddAnnotation(pdf.Id, "a later highlight", page: "700", sortIndex: "00005|000100|00000");
        db.AddNote(ada.Id, "<p>Read for the survey's history section.</p>");
        db.AddItem("book", "On Computable Numbers", [new("Alan", "Turing")], new Dictionary<string, string> { ["date"] = "1936-00-00 1936" });
        return db;
    }

    private async Task<(LspTestClient Client, string NoteUri)> StartAsync(string note, string config, LspServerOptions? options = null)
    {
        File.WriteAllText(Path.Combine(_root, "bibserver.yaml"), config);
        File.WriteAllText(Path.Combine(_root, "refs.bib"), "@book{knuth1984, title={Literate Programming}, author={Knuth, Donald}, year={1984}}\n");
        var notePath = Path.Combine(_root, "survey.md");
        File.WriteAllText(notePath, note);
        var client = LspTestClient.StartInProcess(options);
        await client.InitializeAsync(new LSP.InitializeParams
        {
            RootUri = DocumentUris.FromPath(_root),
            Trace = LSP.TraceValue.Verbose,
            Capabilities = LspTestClient.FullCapabilities,
        });
        var uri = DocumentUris.FromPath(notePath);
        await client.OpenAsync(uri, note);
        return (client, uri);
    }

    private static string[] Keys(LSP.PublishDiagnosticsParams diagnostics) =>
        [.. diagnostics.Diagnostics.Select(d => d.Message.Split('`')[1]).Order(StringComparer.Ordinal)];

    private const string Note = "# Survey\n\nThe engine [@lovelace1843] and computability [@turing1936computable], literate code [@knuth1984], and [@hopper1952].\n";

    [Fact]
    public async Task Hover_definition_and_diagnostics_come_from_the_Zotero_database_and_follow_its_changes()
    {
        using var zotero = CreateLibrary();
        var (client, uri) = await StartAsync(Note, "libraries:\n  - refs.bib\nzotero:\n  path: ZoteroData\n");
        await using var _ = client;

        // Only the key no library has is reported: Zotero's own citationKey and the generated key both resolve.
        var first = await client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Count > 0);
        Assert.Equal(["hopper1952"], Keys(first));

        // The library statistics count what the database holds besides papers.
        var stats = await client.RequestAsync<LSP.LibraryStatsResult>("bibserver/libraryStats", null);
        var row = Assert.Single(stats.Libraries, l => l.Path == DatabasePath);
        Assert.Equal(("Zotero", 2, "1 attachment, 1 note and 2 annotations (not papers)"), (row.Format, row.Papers, row.Detail));

        var hover = await client.HoverRenderedAsync(uri, 2, 16);
        var markdown = hover!.Contents.Value;
        // The reference as the note's citation style prints it, from the Zotero item's fields.
        Assert.StartsWith("Lovelace, Ada. 1843. “Notes on the Analytical Engine.” Scientific Memoirs.", markdown);
        Assert.Contains("[Open PDF](file://" + Path.Combine(_data, "storage").Replace(" ", "%20"), markdown);
        Assert.Contains("Lovelace%201843.pdf)", markdown);
        Assert.Contains("[Show in Zotero](zotero://select/library/items/", markdown);
        Assert.Contains("2 annotations in Zotero; the first, p. 696: “the engine weaves algebraical patterns” (the key sentence)", markdown);
        Assert.Contains("1 note in Zotero: “Read for the survey's history section.”", markdown);
        Assert.Contains("`@lovelace1843` · Zotero (zotero.sqlite)", markdown);

        // A generated key says where it came from, so that the writer knows to pin it.
        var generated = (await client.HoverRenderedAsync(uri, 2, 50))!.Contents.Value;
        Assert.StartsWith("Turing, Alan. 1936. On Computable Numbers.", generated);
        Assert.Contains("Key generated by BibServer (docs/keys.md)", generated);
        Assert.Contains("`Citation Key: turing1936computable`", generated);

        // Definition: the database, then the item in Zotero.
        var locations = await client.RequestAsync<LSP.Location[]>(LSP.Methods.TextDocumentDefinition,
            new LSP.DefinitionParams(new LSP.TextDocumentIdentifier(uri), new LSP.Position(2, 16)));
        Assert.Equal(2, locations.Length);
        Assert.Equal(DocumentUris.FromPath(DatabasePath), locations[0].Uri);
        Assert.StartsWith("zotero://select/library/items/", locations[1].Uri);

        // A lens over the paper's first citation counts its annotations and notes; its command lists them all.
        var lenses = await client.RequestAsync<LSP.CodeLens[]>(LSP.Methods.TextDocumentCodeLens, new LSP.CodeLensParams(new LSP.TextDocumentIdentifier(uri)));
        var lens = Assert.Single(lenses);
        Assert.Equal("2 annotations · 1 note in Zotero", lens.Command!.Title);
        Assert.Equal("bibserver.showZoteroRemarks", lens.Command.Name);
        Assert.Equal(new LSP.Position(2, 13), lens.Range.Start);
        var listing = await client.RequestAsync<string>(LSP.Methods.WorkspaceExecuteCommand,
            new LSP.ExecuteCommandParams("bibserver.zotero.remarks", [.. lens.Command.Arguments!]));
        Assert.Equal(
            "# Notes on the Analytical Engine (`@lovelace1843`)\n\n## Annotations\n\n"
            + "- p. 696, highlight: “the engine weaves algebraical patterns” — the key sentence\n- p. 700, highlight: “a later highlight”\n\n"
            + "## Notes\n\n- Read for the survey's history section.\n", listing);

        // Zotero edits a title: the hover follows once the database has been read again.
        var live = client.Mark();
        var mark = live;
        zotero.InTransaction(() => zotero.SetField(1, "title", "Sketch of the Analytical Engine"));
        await client.WaitForLogAsync("Read the Zotero database", after: mark);
        await client.WaitForAsync(m => m.Method == "bibserver/status", after: mark);
        Assert.StartsWith("Lovelace, Ada. 1843. “Sketch of the Analytical Engine.”", (await client.HoverRenderedAsync(uri, 2, 16))!.Contents.Value);

        // Zotero moves an item to the trash: its citation is broken now.
        mark = client.Mark();
        zotero.InTransaction(() => zotero.Trash(1));
        var trashed = await client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Count == 2, after: mark);
        Assert.Equal(["hopper1952", "lovelace1843"], Keys(trashed));

        // Zotero adds the paper the note was missing: its citation resolves.
        mark = client.Mark();
        zotero.InTransaction(() => zotero.AddItem("journalArticle", "The Education of a Computer", [new("Grace", "Hopper")], new Dictionary<string, string> { ["extra"] = "Citation Key: hopper1952" }));
        var added = await client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Count == 1, after: mark);
        Assert.Equal(["lovelace1843"], Keys(added));

        // Nothing but the database was read again: no text library, no note.
        var logs = LogsAfter(client, live);
        Assert.Equal(3, logs.Count(log => log.Contains("Read the Zotero database", StringComparison.Ordinal)));
        Assert.DoesNotContain(logs, log => log.Contains("Read " + Path.Combine(_root, "refs.bib"), StringComparison.Ordinal));
        Assert.Equal(3, logs.Count(log => log.Contains("Files changed: changed " + DatabasePath + " (revision", StringComparison.Ordinal)));
        Assert.DoesNotContain(logs, log => log.Contains("Files changed:", StringComparison.Ordinal) && !log.Contains(DatabasePath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_burst_of_writes_is_read_once()
    {
        using var zotero = CreateLibrary();
        var (client, uri) = await StartAsync(Note, "zotero:\n  path: ZoteroData/zotero.sqlite\n");
        await using var _ = client;
        await client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Count > 0);
        await client.Server!.Started;

        // An import: fifty items, each its own transaction, written as fast as Zotero writes them.
        var mark = client.Mark();
        for (var i = 0; i < 50; i++)
            zotero.InTransaction(() => zotero.AddItem("journalArticle", $"Imported Paper {i}", [new("Im", "Porter")], new Dictionary<string, string> { ["citationKey"] = $"imported{i}" }));
        await client.WaitForAsync(m => m.Method == "bibserver/status" && m.Read<LSP.BibServerStatus>().Papers == 52, after: mark, what: "52 papers");
        // A last change after the burst is read on its own: it is then the second read since the mark, not the third.
        var second = client.Mark();
        zotero.InTransaction(() => zotero.AddItem("book", "After The Burst", [], new Dictionary<string, string> { ["citationKey"] = "after" }));
        await client.WaitForAsync(m => m.Method == "bibserver/status" && m.Read<LSP.BibServerStatus>().Papers == 53, after: second, what: "53 papers");
        Assert.Equal(2, LogsAfter(client, mark).Count(log => log.Contains("Read the Zotero database", StringComparison.Ordinal)));
    }

    private static List<string> LogsAfter(LspTestClient client, int mark) =>
        [.. client.Received.Skip(mark).Where(m => m.Method == LSP.Methods.WindowLogMessage).Select(m => m.Read<LSP.LogMessageParams>().Message)];

    [Theory]
    [InlineData("truncated")]
    [InlineData("not-sqlite")]
    public async Task A_database_that_cannot_be_read_is_one_diagnostic_and_the_other_libraries_are_served(string damage)
    {
        var real = File.ReadAllBytes(TestData.Path("zotero", "zotero-6-control", "zotero.sqlite"));
        File.WriteAllBytes(DatabasePath, damage == "truncated" ? real[..(real.Length / 3)] : "This is not a database.\n"u8.ToArray());
        var (client, uri) = await StartAsync(Note, "libraries:\n  - refs.bib\n  - ZoteroData/zotero.sqlite\n");
        await using var _ = client;

        var database = await client.WaitForDiagnosticsAsync(DocumentUris.FromPath(DatabasePath));
        var problem = Assert.Single(database.Diagnostics);
        Assert.Equal(LSP.DiagnosticSeverity.Error, problem.Severity);
        Assert.Contains(damage == "truncated" ? "cannot be read" : "not an SQLite database", problem.Message);
        // The BibTeX library is still served: knuth1984 resolves, the Zotero keys do not.
        var note = await client.WaitForDiagnosticsAsync(uri, d => d.Diagnostics.Count > 0);
        Assert.Equal(["hopper1952", "lovelace1843", "turing1936computable"], Keys(note));
    }
}
