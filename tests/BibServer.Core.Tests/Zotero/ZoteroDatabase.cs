using Microsoft.Data.Sqlite;

namespace BibServer.Core.Tests.Zotero;

/// <summary>
/// Builds Zotero databases for tests with the real schema (tests/testdata/zotero/schema.sql, taken from a real
/// Zotero 6 database), writing rows the way Zotero does: values shared in itemDataValues, creators in order,
/// child items pointing at their parents. Shared by the core tests, the server tests and the benchmark.
/// </summary>
public sealed class ZoteroDatabase : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Random _random;
    private readonly Dictionary<string, long> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _creatorTypes = new(StringComparer.Ordinal);

    public static string SchemaPath { get; } = FindSchema();

    private ZoteroDatabase(SqliteConnection db, int seed)
    {
        _db = db;
        _random = new Random(seed);
        Load("SELECT fieldName, fieldID FROM fieldsCombined", _fields);
        Load("SELECT typeName, itemTypeID FROM itemTypesCombined", _types);
        Load("SELECT creatorType, creatorTypeID FROM creatorTypes", _creatorTypes);
    }

    public string Path { get; private init; } = "";

    public SqliteConnection Connection => _db;

    /// <summary>A new database at <paramref name="path"/> with Zotero's schema and an empty user library (libraryID 1).</summary>
    public static ZoteroDatabase Create(string path, bool wal = false, int seed = 1)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        Execute(db, wal ? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode = DELETE");
        using (var transaction = db.BeginTransaction())
        {
            Execute(db, File.ReadAllText(SchemaPath), transaction);
            transaction.Commit();
        }
        return new ZoteroDatabase(db, seed) { Path = path };
    }

    /// <summary>An existing database, opened for writing (another "Zotero" changing it while BibServer runs).</summary>
    public static ZoteroDatabase Open(string path, int seed = 2)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        return new ZoteroDatabase(db, seed) { Path = path };
    }

    public sealed record Creator(string? First, string Last, string Type = "author", bool SingleField = false);

    /// <summary>Adds a regular item with its fields (Zotero's field names) and creators in order; returns its itemID and key.</summary>
    public (long Id, string Key) AddItem(string type, string? title, IEnumerable<Creator>? creators = null, IReadOnlyDictionary<string, string>? fields = null, long library = 1)
    {
        var key = NewKey();
        var id = Insert("INSERT INTO items (itemTypeID, libraryID, key) VALUES ($t, $l, $k)", ("$t", _types[type]), ("$l", library), ("$k", key));
        if (title is not null) SetField(id, "title", title);
        foreach (var (name, value) in fields ?? new Dictionary<string, string>()) SetField(id, name, value);
        var order = 0;
        foreach (var c in creators ?? [])
        {
            Execute(_db, "INSERT OR IGNORE INTO creators (firstName, lastName, fieldMode) VALUES ($f, $l, $m)", _tx, ("$f", c.SingleField ? "" : c.First ?? ""), ("$l", c.Last), ("$m", c.SingleField ? 1 : 0));
            var creator = Scalar("SELECT creatorID FROM creators WHERE firstName = $f AND lastName = $l AND fieldMode = $m", ("$f", c.SingleField ? "" : c.First ?? ""), ("$l", c.Last), ("$m", c.SingleField ? 1 : 0));
            Execute(_db, "INSERT INTO itemCreators (itemID, creatorID, creatorTypeID, orderIndex) VALUES ($i, $c, $t, $o)", _tx, ("$i", id), ("$c", creator), ("$t", _creatorTypes[c.Type]), ("$o", order++));
        }
        return (id, key);
    }

    public void SetField(long item, string field, string value)
    {
        Execute(_db, "INSERT OR IGNORE INTO itemDataValues (value) VALUES ($v)", _tx, ("$v", value));
        var valueId = Scalar("SELECT valueID FROM itemDataValues WHERE value = $v", ("$v", value));
        Execute(_db, "INSERT OR REPLACE INTO itemData (itemID, fieldID, valueID) VALUES ($i, $f, $v)", _tx, ("$i", item), ("$f", _fields[field]), ("$v", valueId));
    }

    public void Trash(long item) => Execute(_db, "INSERT INTO deletedItems (itemID) VALUES ($i)", _tx, ("$i", item));

    /// <summary>A group library named <paramref name="name"/>; returns its libraryID.</summary>
    public long AddGroup(string name, long groupId)
    {
        var library = Insert("INSERT INTO libraries (type, editable, filesEditable) VALUES ('group', 1, 1)");
        Execute(_db, "INSERT INTO groups (groupID, libraryID, name, description, version) VALUES ($g, $l, $n, '', 1)", _tx, ("$g", groupId), ("$l", library), ("$n", name));
        return library;
    }

    public long AddCollection(string name, long? parent = null, long library = 1) =>
        Insert("INSERT INTO collections (collectionName, parentCollectionID, libraryID, key) VALUES ($n, $p, $l, $k)",
            ("$n", name), ("$p", (object?)parent ?? DBNull.Value), ("$l", library), ("$k", NewKey()));

    public void AddToCollection(long collection, long item) =>
        Execute(_db, "INSERT INTO collectionItems (collectionID, itemID) VALUES ($c, $i)", _tx, ("$c", collection), ("$i", item));

    /// <summary>An imported file attachment (<c>storage:NAME</c>) of a paper; returns its itemID and key.</summary>
    public (long Id, string Key) AddAttachment(long parent, string storedPath, string contentType = "application/pdf", long library = 1, int linkMode = 0)
    {
        var (id, key) = AddItem("attachment", storedPath, library: library);
        Execute(_db, "INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType, path) VALUES ($i, $p, $m, $c, $s)", _tx,
            ("$i", id), ("$p", parent), ("$m", linkMode), ("$c", contentType), ("$s", storedPath));
        return (id, key);
    }

    public long AddNote(long? parent, string html, long library = 1)
    {
        var (id, _) = AddItem("note", null, library: library);
        Execute(_db, "INSERT INTO itemNotes (itemID, parentItemID, note, title) VALUES ($i, $p, $n, '')", _tx, ("$i", id), ("$p", (object?)parent ?? DBNull.Value), ("$n", html));
        return id;
    }

    /// <summary>A highlight (type 1) on an attachment, with an optional comment and page label.</summary>
    public long AddAnnotation(long attachment, string text, string? comment = null, string? page = null, string sortIndex = "00000|000000|00000", int type = 1, long library = 1)
    {
        var (id, _) = AddItem("annotation", null, library: library);
        Execute(_db, "INSERT INTO itemAnnotations (itemID, parentItemID, type, text, comment, color, pageLabel, sortIndex, position, isExternal) "
                     + "VALUES ($i, $p, $t, $x, $c, '#ffd400', $g, $s, '{}', 0)", _tx,
            ("$i", id), ("$p", attachment), ("$t", type), ("$x", text), ("$c", (object?)comment ?? DBNull.Value), ("$g", (object?)page ?? DBNull.Value), ("$s", sortIndex));
        return id;
    }

    public void Execute(string sql, params (string Name, object Value)[] parameters) => Execute(_db, sql, _tx, parameters);

    private SqliteTransaction? _tx;

    /// <summary>Runs <paramref name="write"/> in one transaction, as Zotero writes a change.</summary>
    public void InTransaction(Action write)
    {
        using var transaction = _db.BeginTransaction();
        _tx = transaction;
        try
        {
            write();
            transaction.Commit();
        }
        finally
        {
            _tx = null;
        }
    }

    public void Dispose() => _db.Dispose();

    private const string KeyCharacters = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ";

    private string NewKey() => string.Create(8, _random, (span, random) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = KeyCharacters[random.Next(KeyCharacters.Length)];
    });

    private long Insert(string sql, params (string Name, object Value)[] parameters)
    {
        Execute(_db, sql, _tx, parameters);
        return Scalar("SELECT last_insert_rowid()");
    }

    private long Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _tx;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private void Load(string sql, Dictionary<string, long> into)
    {
        using var command = _db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read()) into[reader.GetString(0)] = reader.GetInt64(1);
    }

    private static void Execute(SqliteConnection db, string sql, SqliteTransaction? transaction = null, params (string Name, object Value)[] parameters)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private static string FindSchema()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "BibServer.sln"))) dir = dir.Parent;
        return System.IO.Path.Combine(dir?.FullName ?? throw new InvalidOperationException("BibServer.sln not found"), "tests", "testdata", "zotero", "schema.sql");
    }
}
