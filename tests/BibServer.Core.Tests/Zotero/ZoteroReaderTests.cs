using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Zotero;
using BibServer.Core.Papers;
using BibServer.Core.Text;
using Microsoft.Data.Sqlite;

namespace BibServer.Core.Tests.Zotero;

/// <summary>
/// The Zotero reader on a real user's database (expectations computed by SQL over the same file) and on
/// databases built with the real schema for each case the reader must handle.
/// </summary>
public sealed class ZoteroReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bibserver-zotero-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ControlPath => TestData.Path("zotero", "zotero-6-control", "zotero.sqlite");

    private static LibraryDocument ReadFile(string path, ZoteroOptions? options = null) => ZoteroReader.Read(path, File.ReadAllBytes(path), options);

    private static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private static List<(long Id, string Title)> Rows(SqliteConnection db, string sql)
    {
        var rows = new List<(long, string)>();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read()) rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1)));
        return rows;
    }

    private const string RegularItems =
        "SELECT i.itemID, i.key FROM items i JOIN itemTypes t USING (itemTypeID) "
        + "WHERE t.typeName NOT IN ('attachment', 'note', 'annotation') AND i.itemID NOT IN (SELECT itemID FROM deletedItems) AND i.libraryID = 1";

    [Fact]
    public void Control_database_gives_its_38_regular_items_and_no_attachment_or_note()
    {
        var doc = ReadFile(ControlPath);
        Assert.Empty(doc.Problems);
        Assert.Same(ZoteroFormat.Instance, doc.Format);
        using var db = OpenReadOnly(ControlPath);
        var regular = Rows(db, RegularItems);
        Assert.Equal(38, regular.Count);
        Assert.Equal(regular.Count, doc.Papers.Length);
        // Every paper is a regular item: its application link names a regular item's key, none an attachment's or a note's.
        var keys = regular.Select(r => r.Title).ToHashSet();
        Assert.All(doc.Papers, p => Assert.Contains(p.Extras!.AppUri!["zotero://select/library/items/".Length..], keys));
        var children = Rows(db, "SELECT i.itemID, i.key FROM items i JOIN itemTypes t USING (itemTypeID) WHERE t.typeName IN ('attachment', 'note')");
        Assert.Equal(20, children.Count);
        Assert.DoesNotContain(doc.Papers, p => children.Any(c => p.Extras!.AppUri!.EndsWith(c.Title, StringComparison.Ordinal)));
        Assert.Equal("18 attachments and 2 notes (not papers)", doc.Summary);
    }

    [Fact]
    public void Control_database_titles_creators_and_years_are_what_SQL_gives()
    {
        var doc = ReadFile(ControlPath);
        var byKey = doc.Papers.ToDictionary(p => p.Extras!.AppUri!.Split('/')[^1]);
        using var db = OpenReadOnly(ControlPath);
        var checkedItems = 0;
        foreach (var (id, key) in Rows(db, RegularItems))
        {
            var paper = byKey[key];
            var title = Rows(db, $"SELECT d.itemID, v.value FROM itemData d JOIN fields f USING (fieldID) JOIN itemDataValues v USING (valueID) WHERE d.itemID = {id} AND f.fieldName = 'title'");
            Assert.Equal(title.Single().Title, paper.Title);

            // The item type's primary creator type (author, programmer, ...) is the paper's authors, in Zotero's order.
            var creators = Rows(db,
                "SELECT ic.orderIndex, CASE c.fieldMode WHEN 1 THEN c.lastName ELSE c.lastName || ', ' || c.firstName END "
                + "FROM itemCreators ic JOIN creators c USING (creatorID) JOIN items i ON i.itemID = ic.itemID "
                + "JOIN itemTypeCreatorTypes p ON p.itemTypeID = i.itemTypeID AND p.creatorTypeID = ic.creatorTypeID AND p.primaryField = 1 "
                + $"WHERE ic.itemID = {id} ORDER BY ic.orderIndex").Select(r => r.Title).ToList();
            Assert.Equal(creators, paper.Authors.Select(a => a.Literal ?? $"{a.Family}, {a.Given}").ToList());

            var date = Rows(db, $"SELECT d.itemID, v.value FROM itemData d JOIN fields f USING (fieldID) JOIN itemDataValues v USING (valueID) WHERE d.itemID = {id} AND f.fieldName = 'date'");
            if (date.Count == 0) Assert.Null(paper.Year);
            else
            {
                var year = int.Parse(date[0].Title[..4]);
                Assert.Equal(year == 0 ? null : year, paper.Year);
                Assert.Equal(date[0].Title[(date[0].Title.IndexOf(' ') + 1)..], paper.Date!.Raw);
            }
            checkedItems++;
        }
        Assert.Equal(38, checkedItems);
        // The control library has authors on most items; a check that compared empty lists would prove nothing.
        Assert.True(doc.Papers.Count(p => p.Authors.Length > 0) >= 30);
    }

    [Fact]
    public void Control_database_ids_from_extra_and_keys_generated_by_the_documented_scheme()
    {
        var doc = ReadFile(ControlPath);
        // `DOI: ...` and `arXiv: ...` lines in Extra, as the README says the library has.
        Assert.Contains(doc.Papers, p => p.Doi == "10.5281/ZENODO.7374521");
        Assert.Contains(doc.Papers, p => p.ArxivId == "1503.03900");
        Assert.Contains(doc.Papers, p => p.ArxivId == "1606.02360");
        // No item has a key of its own (no Better BibTeX), so every key is generated, says so, and is a valid pandoc key.
        Assert.All(doc.Papers, p =>
        {
            Assert.True(p.Extras!.KeyGenerated);
            Assert.True(BibServer.Core.Libraries.Keys.PaperKeys.IsValidCitationKey(p.Key), p.Key);
            Assert.StartsWith(BibServer.Core.Libraries.Keys.PaperKeys.BaseKey(p), p.Key, StringComparison.Ordinal);
        });
        Assert.Equal(doc.Papers.Length, doc.Papers.Select(p => p.Key).Distinct().Count());
        var thesis = Assert.Single(doc.Papers, p => p.Type == "thesis");
        Assert.NotNull(thesis.Fields.GetValueOrDefault("publisher"));
    }

    private ZoteroDatabase NewDatabase(string name = "zotero.sqlite", bool wal = false) => ZoteroDatabase.Create(Path.Combine(_dir, name), wal);

    private static readonly ZoteroDatabase.Creator[] TwoAuthors = [new("Ada", "Lovelace"), new("Charles", "Babbage")];

    [Fact]
    public void Keys_come_from_the_citationKey_field_then_Better_BibTeX_then_extra_then_the_scheme()
    {
        string path;
        using (var db = NewDatabase())
        {
            path = db.Path;
            db.AddItem("journalArticle", "Zotero Seven Keys", TwoAuthors, new Dictionary<string, string> { ["citationKey"] = "own2020", ["extra"] = "Citation Key: fromextra", ["date"] = "2020-00-00 2020" });
            var bbt = db.AddItem("journalArticle", "Better Keys", TwoAuthors, new Dictionary<string, string> { ["extra"] = "Citation Key: notthisone", ["date"] = "2021-00-00 2021" });
            db.AddItem("journalArticle", "Extra Keys", TwoAuthors, new Dictionary<string, string> { ["extra"] = "tex.note: x\nCitation Key: pinned2022", ["date"] = "2022-03-00 March 2022" });
            db.AddItem("journalArticle", "The Analytical Engine", TwoAuthors, new Dictionary<string, string> { ["date"] = "1843-00-00 1843" });
            // Better BibTeX keeps its keys in a table of its own; here in the database itself, as an attached store would be.
            db.Execute("CREATE TABLE citationkey (itemID INTEGER PRIMARY KEY, itemKey TEXT, libraryID INTEGER, citationKey TEXT, pinned INTEGER)");
            db.Execute("INSERT INTO citationkey VALUES ($i, $k, 1, 'bbt2021', 0)", ("$i", bbt.Id), ("$k", bbt.Key));
        }
        var doc = ReadFile(path);
        Assert.Empty(doc.Problems);
        Assert.Equal(["own2020", "bbt2021", "pinned2022", "lovelace1843analytical"], doc.Papers.Select(p => p.Key));
        Assert.Equal([false, false, false, true], doc.Papers.Select(p => p.Extras!.KeyGenerated));
        Assert.Contains("Citation Key: lovelace1843analytical", doc.Papers[3].Extras!.KeyNote);
        Assert.Contains("Extra", doc.Papers[2].Extras!.KeyNote);
    }

    [Fact]
    public void Better_BibTeX_keys_in_the_separate_file_in_its_table_or_its_older_store()
    {
        string path;
        (long Id, string Key) item;
        using (var db = NewDatabase())
        {
            path = db.Path;
            item = db.AddItem("book", "A Book", TwoAuthors);
        }
        var store = Path.Combine(_dir, "better-bibtex.sqlite");
        using (var bbt = new SqliteConnection($"Data Source={store};Pooling=False"))
        {
            bbt.Open();
            using var command = bbt.CreateCommand();
            command.CommandText = "CREATE TABLE citationkey (itemID INTEGER PRIMARY KEY, itemKey TEXT, libraryID INTEGER, citationKey TEXT, pinned INTEGER);"
                                  + $"INSERT INTO citationkey VALUES ({item.Id}, '{item.Key}', 1, 'lovelaceBook', 1)";
            command.ExecuteNonQuery();
        }
        var doc = ReadFile(path, new ZoteroOptions { BetterBibtex = File.ReadAllBytes(store) });
        Assert.Equal("lovelaceBook", Assert.Single(doc.Papers).Key);

        // Better BibTeX before its citationkey table: a LokiJS collection stored as JSON.
        var old = Path.Combine(_dir, "old-better-bibtex.sqlite");
        using (var bbt = new SqliteConnection($"Data Source={old};Pooling=False"))
        {
            bbt.Open();
            using var command = bbt.CreateCommand();
            command.CommandText = "CREATE TABLE \"better-bibtex\" (name TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL);"
                                  + "INSERT INTO \"better-bibtex\" VALUES ('better-bibtex.citekey', $data)";
            command.Parameters.AddWithValue("$data", $$$"""{"name":"citekey","data":[{"itemID":{{{item.Id}}},"itemKey":"{{{item.Key}}}","libraryID":1,"citekey":"oldKey1999","pinned":false,"meta":{"revision":0}}]}""");
            command.ExecuteNonQuery();
        }
        doc = ReadFile(path, new ZoteroOptions { BetterBibtex = File.ReadAllBytes(old) });
        Assert.Equal("oldKey1999", Assert.Single(doc.Papers).Key);
    }

    [Fact]
    public void Items_in_the_trash_attachments_notes_and_annotations_are_not_papers()
    {
        string path;
        using (var db = NewDatabase())
        {
            path = db.Path;
            var kept = db.AddItem("conferencePaper", "Kept Paper", TwoAuthors, new Dictionary<string, string> { ["proceedingsTitle"] = "Proceedings of Things", ["pages"] = "1-10", ["DOI"] = "10.1000/kept" });
            var trashed = db.AddItem("journalArticle", "Trashed Paper", TwoAuthors);
            db.Trash(trashed.Id);
            var pdf = db.AddAttachment(kept.Id, "storage:Kept Paper.pdf");
            db.AddAttachment(kept.Id, "storage:snapshot.html", "text/html");
            db.AddNote(kept.Id, "<div class=\"zotero-note znv1\"><p>First note &amp; <b>bold</b></p></div>");
            db.AddNote(null, "<p>A standalone note</p>");
            db.AddAnnotation(pdf.Id, "the second highlight", page: "4", sortIndex: "00003|000200|00000");
            db.AddAnnotation(pdf.Id, "the first highlight", comment: "<p>my comment</p>", page: "2", sortIndex: "00001|000100|00000");
        }
        var doc = ReadFile(path);
        var paper = Assert.Single(doc.Papers);
        Assert.Equal("Kept Paper", paper.Title);
        Assert.Equal("paper-conference", paper.Type);
        Assert.Equal("Proceedings of Things", paper.Venue);
        Assert.Equal("1-10", paper.Fields["page"]);
        Assert.Equal("10.1000/kept", paper.Doi);
        var extras = paper.Extras!;
        Assert.Equal(Path.Combine(_dir, "storage", extras.Files[0].Path.Split('/')[^2], "Kept Paper.pdf"), extras.Files[0].Path);
        Assert.Equal("application/pdf", extras.Files[0].ContentType);
        Assert.Equal(2, extras.Files.Length);
        Assert.Equal(["the first highlight", "the second highlight"], extras.Annotations.Select(a => a.Text));
        Assert.Equal("my comment", extras.Annotations[0].Comment);
        Assert.Equal("2", extras.Annotations[0].Page);
        Assert.Equal("First note & bold", Assert.Single(extras.Notes).Text);
        Assert.Equal("2 attachments, 2 notes and 2 annotations (not papers); 1 item in the trash left out", doc.Summary);
    }

    [Fact]
    public void Creators_in_order_single_field_names_editors_dates_and_types()
    {
        string path;
        using (var db = NewDatabase())
        {
            path = db.Path;
            db.AddItem("bookSection", "A Chapter", [new("Zed", "Last"), new(null, "OpenAI Team", SingleField: true), new("Ed", "Itor", "editor"), new("Ann", "First")],
                new Dictionary<string, string> { ["date"] = "2019-12-00 12/2019", ["bookTitle"] = "The Book", ["publisher"] = "Press", ["ISBN"] = "978-0-00-000000-0", ["extra"] = "arXiv: 1911.00001v2" });
            db.AddItem("computerProgram", "A Program", [new("Pro", "Grammer", "programmer")], new Dictionary<string, string> { ["date"] = "2024-05-06 May 6, 2024", ["company"] = "ACME" });
            db.AddItem("thesis", "A Thesis", [new("Stu", "Dent")], new Dictionary<string, string> { ["date"] = "no date at all", ["university"] = "Uni" });
            db.AddItem("preprint", "A Preprint", [new("Pre", "Print")], new Dictionary<string, string> { ["archiveID"] = "arXiv:2401.01234", ["url"] = "http://example.org" });
        }
        var doc = ReadFile(path);
        Assert.Empty(doc.Problems);
        var chapter = doc.Papers[0];
        Assert.Equal("chapter", chapter.Type);
        Assert.Equal(["Zed Last", "OpenAI Team", "Ann First"], chapter.Authors.Select(a => a.Display));
        Assert.True(chapter.Authors[1].IsLiteral);
        Assert.Equal("Ed Itor", Assert.Single(chapter.Editors).Display);
        Assert.Equal(new PaperDate(2019, 12, null, "12/2019"), chapter.Date);
        Assert.Equal("The Book", chapter.Venue);
        Assert.Equal("Press", chapter.Fields["publisher"]);
        Assert.Equal("978-0-00-000000-0", chapter.Fields["ISBN"]);
        Assert.Equal("1911.00001", chapter.ArxivId);
        var program = doc.Papers[1];
        Assert.Equal("software", program.Type);
        Assert.Equal(["Pro Grammer"], program.Authors.Select(a => a.Display));
        Assert.Equal(new PaperDate(2024, 5, 6, "May 6, 2024"), program.Date);
        Assert.Equal("ACME", program.Fields["publisher"]);
        Assert.Equal("Uni", doc.Papers[2].Fields["publisher"]);
        Assert.Null(doc.Papers[2].Year);
        Assert.Equal("article", doc.Papers[3].Type);
        Assert.Equal("2401.01234", doc.Papers[3].ArxivId);
    }

    [Fact]
    public void A_group_library_by_name_and_nested_collections()
    {
        string path;
        using (var db = NewDatabase())
        {
            path = db.Path;
            db.AddItem("book", "Mine", TwoAuthors);
            var lab = db.AddGroup("Lab Papers", 4711);
            var ours = db.AddItem("book", "Ours", TwoAuthors, library: lab);
            var survey = db.AddCollection("Survey");
            var alignment = db.AddCollection("Alignment", survey);
            var deeper = db.AddCollection("Reward Models", alignment);
            var other = db.AddCollection("Other", survey);
            var a = db.AddItem("journalArticle", "In Alignment", TwoAuthors);
            var b = db.AddItem("journalArticle", "In Reward Models", TwoAuthors);
            var c = db.AddItem("journalArticle", "In Other", TwoAuthors);
            db.AddToCollection(alignment, a.Id);
            db.AddToCollection(deeper, b.Id);
            db.AddToCollection(other, c.Id);
            db.AddToCollection(db.AddCollection("Shared", library: lab), ours.Id);
        }
        Assert.Equal(["Mine", "In Alignment", "In Reward Models", "In Other"], ReadFile(path).Papers.Select(p => p.Title));
        var group = ReadFile(path, new ZoteroOptions { Library = "Lab Papers" });
        Assert.Equal("Ours", Assert.Single(group.Papers).Title);
        Assert.StartsWith("zotero://select/groups/4711/items/", group.Papers[0].Extras!.AppUri);
        Assert.Equal(["In Alignment", "In Reward Models"], ReadFile(path, new ZoteroOptions { Collection = "Survey/Alignment" }).Papers.Select(p => p.Title));
        Assert.Equal(["In Alignment", "In Reward Models", "In Other"], ReadFile(path, new ZoteroOptions { Collection = "Survey" }).Papers.Select(p => p.Title));

        var unknown = ReadFile(path, new ZoteroOptions { Collection = "Survey/Nope" });
        Assert.Empty(unknown.Papers);
        Assert.Equal("The Zotero library has no collection \"Survey/Nope\": \"Nope\" is not a collection in \"Survey\" (it has \"Alignment\", \"Other\").", Assert.Single(unknown.Problems).Message);
        var noGroup = ReadFile(path, new ZoteroOptions { Library = "Nobody" });
        Assert.Equal("The Zotero database has no library named \"Nobody\"; it has \"My Library\", \"Lab Papers\".", Assert.Single(noGroup.Problems).Message);
    }

    [Fact]
    public void A_truncated_file_a_file_that_is_not_SQLite_and_an_unknown_schema_are_one_clear_problem()
    {
        var bytes = File.ReadAllBytes(ControlPath);
        var truncated = ZoteroReader.Read("/z/zotero.sqlite", bytes.AsSpan(0, bytes.Length / 3));
        Assert.Empty(truncated.Papers);
        var problem = Assert.Single(truncated.Problems);
        Assert.Equal(Severity.Error, problem.Severity);
        Assert.Contains("cannot be read", problem.Message);

        var text = ZoteroReader.Read("/z/zotero.sqlite", "@article{a, title={Not a database}}\n"u8);
        Assert.Equal("This file is not an SQLite database, so it cannot be read as a Zotero library (a Zotero data directory holds `zotero.sqlite`).", Assert.Single(text.Problems).Message);
        Assert.Empty(text.Papers);
        Assert.Contains("empty", Assert.Single(ZoteroReader.Read("/z/zotero.sqlite", ReadOnlySpan<byte>.Empty).Problems).Message);

        var other = Path.Combine(_dir, "other.sqlite");
        using (var db = new SqliteConnection($"Data Source={other};Pooling=False"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = "CREATE TABLE items (id INTEGER); CREATE TABLE version (schema TEXT, version INT); INSERT INTO version VALUES ('userdata', 999)";
            command.ExecuteNonQuery();
        }
        var unknown = ReadFile(other);
        Assert.StartsWith("This database does not have Zotero's schema (userdata version 999; missing tables: itemData,", Assert.Single(unknown.Problems).Message);
    }

    [Fact]
    public void The_reader_never_changes_the_bytes_it_is_given()
    {
        var bytes = File.ReadAllBytes(ControlPath);
        var copy = bytes.ToArray();
        ZoteroReader.Read(ControlPath, bytes);
        Assert.Equal(copy, bytes);
    }
}
