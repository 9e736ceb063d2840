using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using BibServer.Core.Libraries.Csl;
using BibServer.Core.Libraries.Keys;
using BibServer.Core.Papers;
using BibServer.Core.Text;
using Microsoft.Data.Sqlite;

namespace BibServer.Core.Libraries.Zotero;

/// <summary>
/// Reads a Zotero database handed over as bytes (the server copies it, with its write-ahead log applied, and
/// reads the copy): the regular items of one library, outside the trash, as papers. Attachments, notes and
/// annotations are not papers; they are counted, and those that hang off a paper are kept with it
/// (<see cref="PaperExtras"/>). Never throws: a database that cannot be read is one problem and no papers.
/// </summary>
public static class ZoteroReader
{
    /// <summary>The <see cref="Problem.Code"/>s of the reader's problems.</summary>
    public static class Codes
    {
        public const string Unreadable = "zotero-unreadable";
        public const string UnknownLibrary = "zotero-unknown-library";
        public const string UnknownCollection = "zotero-unknown-collection";
    }

    /// <summary>A file is an SQLite database when it starts with these 16 bytes.</summary>
    public static ReadOnlySpan<byte> SqliteHeader => "SQLite format 3\0"u8;

    public static bool LooksLikeSqlite(ReadOnlySpan<byte> bytes) => bytes.StartsWith(SqliteHeader);

    /// <summary>Whether a file name is one the Zotero reader takes: <c>zotero.sqlite</c>, or any <c>*.sqlite</c> named as a library.</summary>
    public static bool IsZoteroPath(string path) => path.EndsWith(".sqlite", StringComparison.OrdinalIgnoreCase);

    public static LibraryDocument Read(string path, ReadOnlySpan<byte> database, ZoteroOptions? options = null)
    {
        options ??= ZoteroOptions.Default;
        if (database.IsEmpty)
            return Failed(path, "This Zotero database is empty (0 bytes): it is not a database Zotero wrote, or it was cut off.");
        if (!LooksLikeSqlite(database))
            return Failed(path, "This file is not an SQLite database, so it cannot be read as a Zotero library (a Zotero data directory holds `zotero.sqlite`).");
        try
        {
            using var db = SqliteImage.Open(database);
            ReadOnlyMemory<byte>? bbtBytes = options.BetterBibtex;
            using var bbt = bbtBytes is { } b && LooksLikeSqlite(b.Span) ? SqliteImage.Open(b.Span) : null;
            return new Reading(path, db, bbt?.Connection, options).Run();
        }
        catch (SqliteException e)
        {
            return Failed(path, $"This Zotero database cannot be read: {e.Message.TrimEnd('.')}. It may be damaged or cut off; Zotero's own copy (zotero.sqlite.bak) may be whole.");
        }
        catch (UnknownSchemaException e)
        {
            return Failed(path, e.Message);
        }
    }

    private static LibraryDocument Failed(string path, string message) =>
        new(path, ZoteroFormat.Instance, "", [], [new Problem(Severity.Error, message, new TextSpan(0, 0), Codes.Unreadable)]);

    private sealed class UnknownSchemaException(string message) : Exception(message);

    /// <summary>One read of one database: the queries, in the order their results are needed.</summary>
    private sealed class Reading(string path, SqliteImage image, SqliteConnection? bbt, ZoteroOptions options)
    {
        private readonly SqliteConnection db = image.Connection;

        private readonly List<Problem> _problems = [];
        private readonly string _dataDirectory = options.DataDirectory ?? System.IO.Path.GetDirectoryName(path) ?? "";

        public LibraryDocument Run()
        {
            CheckSchema();
            ReadOptions();
            var (libraryId, groupId) = ChooseLibrary();
            if (libraryId is null) return Document([], null);

            var collectionItems = options.Collection is { Length: > 0 } collection ? CollectionItems(libraryId.Value, collection) : null;
            if (options.Collection is { Length: > 0 } && collectionItems is null) return Document([], null);

            var items = RegularItems(libraryId.Value, collectionItems);
            // The fields are most of the reading (abstracts are most of a library's bytes): they are read on a
            // second connection over the same image while this one reads creators, keys and child items.
            var second = image.OpenAnother();
            var fields = Task.Run(() => ReadFields(items, second));
            Dictionary<long, string> bbtKeys;
            ChildIndex children;
            (int Attachments, int Notes, int Annotations) counts;
            try
            {
                ReadCreators(items);
                bbtKeys = BetterBibtexKeys(libraryId.Value);
                (children, counts) = Children(libraryId.Value, items);
            }
            finally
            {
                // The image's memory is freed when the reading ends: the other connection must be done with it.
                ((IAsyncResult)fields).AsyncWaitHandle.WaitOne();
            }
            fields.GetAwaiter().GetResult();

            var papers = new Paper[items.Count];
            var keyed = new List<int>();
            var unkeyed = new List<int>();
            var order = items.Values.OrderBy(i => i.Id).ToList();
            for (var i = 0; i < order.Count; i++)
            {
                var item = order[i];
                var (key, note) = KeyOf(item, bbtKeys);
                var extras = new PaperExtras
                {
                    AppUri = groupId is { } g
                        ? $"zotero://select/groups/{g.ToString(CultureInfo.InvariantCulture)}/items/{item.Key}"
                        : $"zotero://select/library/items/{item.Key}",
                    Files = children.Files.TryGetValue(item.Id, out var files) ? [.. files] : [],
                    Annotations = children.Annotations.TryGetValue(item.Id, out var annotations) ? [.. annotations.OrderBy(a => a.Sort, StringComparer.Ordinal).Select(a => a.Remark)] : [],
                    Notes = children.Notes.TryGetValue(item.Id, out var notes) ? [.. notes] : [],
                    KeyNote = note,
                };
                papers[i] = ToPaper(item, key ?? "", extras);
                (key is null ? unkeyed : keyed).Add(i);
            }

            // Items with no key anywhere get one by the scheme of docs/keys.md, never one another item names.
            if (unkeyed.Count > 0)
            {
                var reserved = keyed.Select(i => papers[i].Key).ToHashSet(StringComparer.Ordinal);
                var generated = PaperKeys.Assign(unkeyed.Select(i => papers[i]).ToList(), reserved);
                for (var u = 0; u < unkeyed.Count; u++)
                {
                    var p = papers[unkeyed[u]];
                    papers[unkeyed[u]] = p with
                    {
                        Key = generated[u],
                        Extras = p.Extras! with
                        {
                            KeyGenerated = true,
                            KeyNote = "generated by BibServer (docs/keys.md): the item has no citation key in Zotero, Better BibTeX or its Extra field. "
                                    + $"To pin it, add `Citation Key: {generated[u]}` to the item's Extra field in Zotero.",
                        },
                    };
                }
            }

            var summary = new List<string>();
            if (counts.Attachments > 0) summary.Add(Count(counts.Attachments, "attachment"));
            if (counts.Notes > 0) summary.Add(Count(counts.Notes, "note"));
            if (counts.Annotations > 0) summary.Add(Count(counts.Annotations, "annotation"));
            var text = summary.Count == 0 ? "" : Join(summary) + " (not papers)";
            var trashed = CountTrashed(libraryId.Value);
            if (trashed > 0) text += (text.Length > 0 ? "; " : "") + $"{Count(trashed, "item")} in the trash left out";
            return Document(papers, text.Length > 0 ? text : null);
        }

        private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

        private static string Join(List<string> parts) =>
            parts.Count == 1 ? parts[0] : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];

        private LibraryDocument Document(IReadOnlyList<Paper> papers, string? summary) =>
            new(path, ZoteroFormat.Instance, "", [.. papers], [.. _problems]) { Summary = summary };

        private void CheckSchema()
        {
            var tables = new HashSet<string>(StringComparer.Ordinal);
            using (var command = Command("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"))
            using (var reader = command.ExecuteReader())
                while (reader.Read()) tables.Add(reader.GetString(0));
            string[] needed = ["items", "itemData", "itemDataValues", "creators", "itemCreators", "creatorTypes", "libraries", "deletedItems", "collections", "collectionItems"];
            var missing = needed.Where(t => !tables.Contains(t)).ToList();
            if (!tables.Contains("fieldsCombined") && !tables.Contains("fields")) missing.Add("fields");
            if (!tables.Contains("itemTypesCombined") && !tables.Contains("itemTypes")) missing.Add("itemTypes");
            if (missing.Count == 0)
            {
                _fields = tables.Contains("fieldsCombined") ? "fieldsCombined" : "fields";
                _itemTypes = tables.Contains("itemTypesCombined") ? "itemTypesCombined" : "itemTypes";
                _baseFields = tables.Contains("baseFieldMappingsCombined") ? "baseFieldMappingsCombined" : tables.Contains("baseFieldMappings") ? "baseFieldMappings" : null;
                _primaryCreators = tables.Contains("itemTypeCreatorTypes");
                _tables = tables;
                return;
            }
            var version = tables.Contains("version") ? Scalar("SELECT version FROM version WHERE schema = 'userdata'") : null;
            throw new UnknownSchemaException(
                $"This database does not have Zotero's schema (userdata version {version ?? "unknown"}; missing tables: {string.Join(", ", missing)}), so it cannot be read as a Zotero library.");
        }

        /// <summary>
        /// The collection and library the server wrote into its private copy (<c>bibserver_options</c>), where the
        /// options handed in name none: how a setting reaches a reader that takes only bytes.
        /// </summary>
        private void ReadOptions()
        {
            if (!_tables.Contains("bibserver_options")) return;
            using var command = Command("SELECT name, value FROM bibserver_options");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var value = reader.IsDBNull(1) ? null : reader.GetString(1);
                switch (reader.GetString(0))
                {
                    case "collection" when options.Collection is null: options = options with { Collection = value }; break;
                    case "library" when options.Library is null: options = options with { Library = value }; break;
                }
            }
        }

        private string _fields = "fields", _itemTypes = "itemTypes";
        private string? _baseFields;
        private bool _primaryCreators;
        private HashSet<string> _tables = [];

        /// <summary>The user's library, or the group library <see cref="ZoteroOptions.Library"/> names.</summary>
        private (long? LibraryId, long? GroupId) ChooseLibrary()
        {
            var libraries = new List<(long Id, string Type, string? Name, long? Group)>();
            var groups = _tables.Contains("groups");
            using (var command = Command(groups
                ? "SELECT l.libraryID, l.type, g.name, g.groupID FROM libraries l LEFT JOIN groups g ON g.libraryID = l.libraryID ORDER BY l.libraryID"
                : "SELECT libraryID, type, NULL, NULL FROM libraries ORDER BY libraryID"))
            using (var reader = command.ExecuteReader())
                while (reader.Read())
                    libraries.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));

            var wanted = options.Library;
            if (string.IsNullOrWhiteSpace(wanted) || wanted.Equals("My Library", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var l in libraries)
                    if (l.Type == "user") return (l.Id, null);
                _problems.Add(new Problem(Severity.Error, "This Zotero database has no user library (\"My Library\").", new TextSpan(0, 0), Codes.UnknownLibrary));
                return (null, null);
            }
            foreach (var l in libraries)
                if (l.Type == "group" && string.Equals(l.Name, wanted, StringComparison.Ordinal)) return (l.Id, l.Group);
            foreach (var l in libraries)
                if (l.Type == "group" && string.Equals(l.Name, wanted, StringComparison.OrdinalIgnoreCase)) return (l.Id, l.Group);
            var names = libraries.Where(l => l.Type == "group" && l.Name is not null).Select(l => $"\"{l.Name}\"").Prepend("\"My Library\"");
            _problems.Add(new Problem(Severity.Error, $"The Zotero database has no library named \"{wanted}\"; it has {string.Join(", ", names)}.", new TextSpan(0, 0), Codes.UnknownLibrary));
            return (null, null);
        }

        /// <summary>The items of a collection path and of its sub-collections, or null (with a problem) when there is no such collection.</summary>
        private HashSet<long>? CollectionItems(long libraryId, string collectionPath)
        {
            var all = new List<(long Id, string Name, long? Parent)>();
            using (var command = Command("SELECT collectionID, collectionName, parentCollectionID FROM collections WHERE libraryID = $lib"))
            {
                command.Parameters.AddWithValue("$lib", libraryId);
                using var reader = command.ExecuteReader();
                while (reader.Read()) all.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2)));
            }
            if (_tables.Contains("deletedCollections"))
            {
                var deleted = Ids("SELECT collectionID FROM deletedCollections");
                all.RemoveAll(c => deleted.Contains(c.Id));
            }
            var names = collectionPath.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            IEnumerable<(long Id, string Name, long? Parent)> level = all.Where(c => c.Parent is null);
            long? found = null;
            var walked = new List<string>();
            foreach (var name in names)
            {
                var match = level.Where(c => c.Name == name).ToList();
                if (match.Count == 0)
                {
                    var known = level.Select(c => $"\"{c.Name}\"").Order(StringComparer.Ordinal).ToList();
                    var where = walked.Count == 0 ? "at the top of the library" : $"in \"{string.Join('/', walked)}\"";
                    _problems.Add(new Problem(Severity.Error,
                        $"The Zotero library has no collection \"{collectionPath}\": \"{name}\" is not a collection {where}"
                        + (known.Count > 0 ? $" (it has {string.Join(", ", known)})." : "."), new TextSpan(0, 0), Codes.UnknownCollection));
                    return null;
                }
                walked.Add(name);
                found = match[0].Id;
                var parent = found;
                level = all.Where(c => c.Parent == parent).ToList();
            }
            if (found is null) return null;
            var wanted = new HashSet<long> { found.Value };
            for (var grew = true; grew;)
            {
                grew = false;
                foreach (var c in all)
                    if (c.Parent is { } p && wanted.Contains(p) && wanted.Add(c.Id)) grew = true;
            }
            var items = new HashSet<long>();
            using (var command = Command("SELECT collectionID, itemID FROM collectionItems"))
            using (var reader = command.ExecuteReader())
                while (reader.Read())
                    if (wanted.Contains(reader.GetInt64(0))) items.Add(reader.GetInt64(1));
            return items;
        }

        private sealed class Item(long id, string key, string type, long typeId)
        {
            public long Id { get; } = id;
            public string Key { get; } = key;
            public string Type { get; } = type;
            public long TypeId { get; } = typeId;
            public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);
            public List<(string Role, Person Person)> Creators { get; } = [];

            /// <summary>What the Extra field says, read once.</summary>
            public ZoteroExtra.Found Extra => _extra ??= ZoteroExtra.Read(Fields.GetValueOrDefault("extra"));

            private ZoteroExtra.Found? _extra;
        }

        private Dictionary<long, Item> RegularItems(long libraryId, HashSet<long>? only)
        {
            var items = new Dictionary<long, Item>();
            using var command = Command(
                $"SELECT i.itemID, i.key, t.typeName, i.itemTypeID FROM items i JOIN {_itemTypes} t ON t.itemTypeID = i.itemTypeID "
                + "WHERE i.libraryID = $lib AND i.itemID NOT IN (SELECT itemID FROM deletedItems)");
            command.Parameters.AddWithValue("$lib", libraryId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var type = reader.GetString(2);
                if (ZoteroSchema.NotPapers.Contains(type)) continue;
                var id = reader.GetInt64(0);
                if (only is not null && !only.Contains(id)) continue;
                items[id] = new Item(id, reader.GetString(1), type, reader.GetInt64(3));
            }
            return items;
        }

        private void ReadFields(Dictionary<long, Item> items, SqliteConnection connection)
        {
            SqliteCommand Command(string sql)
            {
                var command = connection.CreateCommand();
                command.CommandText = sql;
                return command;
            }

            // A type-specific field (university, proceedingsTitle, ...) is read as the base field it maps to.
            var baseOf = new Dictionary<(long Type, long Field), string>();
            if (_baseFields is not null)
            {
                using var command = Command($"SELECT m.itemTypeID, m.fieldID, f.fieldName FROM {_baseFields} m JOIN {_fields} f ON f.fieldID = m.baseFieldID");
                using var reader = command.ExecuteReader();
                while (reader.Read()) baseOf[(reader.GetInt64(0), reader.GetInt64(1))] = reader.GetString(2);
            }
            var names = new Dictionary<long, string>();
            using (var command = Command($"SELECT fieldID, fieldName FROM {_fields}"))
            using (var reader = command.ExecuteReader())
                while (reader.Read()) names[reader.GetInt64(0)] = reader.GetString(1);

            using (var command = Command("SELECT d.itemID, d.fieldID, v.value FROM itemData d JOIN itemDataValues v ON v.valueID = d.valueID"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (!items.TryGetValue(reader.GetInt64(0), out var item) || reader.IsDBNull(2)) continue;
                    var fieldId = reader.GetInt64(1);
                    var name = baseOf.TryGetValue((item.TypeId, fieldId), out var b) ? b : names.GetValueOrDefault(fieldId);
                    if (name is null) continue;
                    // SQLite gives any value as text; numbers (a volume stored as an integer) come out as Zotero shows them.
                    var value = reader.GetString(2);
                    if (!string.IsNullOrWhiteSpace(value)) item.Fields.TryAdd(name, value.Trim());
                }
            }
        }

        private void ReadCreators(Dictionary<long, Item> items)
        {
            // The primary creator type of each item type (author, or programmer, director, ...) is its authors.
            var primary = new Dictionary<long, string>();
            if (_primaryCreators)
            {
                using var command = Command("SELECT t.itemTypeID, c.creatorType FROM itemTypeCreatorTypes t JOIN creatorTypes c ON c.creatorTypeID = t.creatorTypeID WHERE t.primaryField = 1");
                using var reader = command.ExecuteReader();
                while (reader.Read()) primary[reader.GetInt64(0)] = reader.GetString(1);
            }
            using (var command = Command(
                "SELECT ic.itemID, c.firstName, c.lastName, c.fieldMode, t.creatorType FROM itemCreators ic "
                + "JOIN creators c ON c.creatorID = ic.creatorID JOIN creatorTypes t ON t.creatorTypeID = ic.creatorTypeID ORDER BY ic.itemID, ic.orderIndex"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (!items.TryGetValue(reader.GetInt64(0), out var item)) continue;
                    var first = reader.IsDBNull(1) ? "" : reader.GetString(1).Trim();
                    var last = reader.IsDBNull(2) ? "" : reader.GetString(2).Trim();
                    var singleField = !reader.IsDBNull(3) && reader.GetInt64(3) == 1;
                    var person = singleField || first.Length == 0 && last.Length > 0 && last.Contains(' ')
                        ? singleField ? Person.Organisation(last.Length > 0 ? last : first) : new Person(last)
                        : new Person(last.Length > 0 ? last : null, first.Length > 0 ? first : null);
                    var role = reader.GetString(4);
                    if (primary.TryGetValue(item.TypeId, out var main) && role == main) role = "author";
                    item.Creators.Add((role, person));
                }
            }
        }

        /// <summary>Better BibTeX's keys by item: its <c>citationkey</c> table, in this database or in better-bibtex.sqlite, or the older LokiJS store there.</summary>
        private Dictionary<long, string> BetterBibtexKeys(long libraryId)
        {
            var keys = new Dictionary<long, string>();
            if (_tables.Contains("citationkey")) ReadCitationKeyTable(db, keys, libraryId);
            // The server copies Better BibTeX's older store into its private copy too.
            if (_tables.Contains("better-bibtex")) ReadLokiStore(db, keys, libraryId);
            if (bbt is null) return keys;
            var tables = new HashSet<string>(StringComparer.Ordinal);
            using (var command = bbt.CreateCommand())
            {
                command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                using var reader = command.ExecuteReader();
                while (reader.Read()) tables.Add(reader.GetString(0));
            }
            if (tables.Contains("citationkey")) ReadCitationKeyTable(bbt, keys, libraryId);
            else if (tables.Contains("better-bibtex")) ReadLokiStore(bbt, keys, libraryId);
            return keys;
        }

        private static void ReadCitationKeyTable(SqliteConnection connection, Dictionary<long, string> keys, long libraryId)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM citationkey";
            using var reader = command.ExecuteReader();
            int item = -1, key = -1, library = -1;
            for (var i = 0; i < reader.FieldCount; i++)
            {
                switch (reader.GetName(i).ToLowerInvariant())
                {
                    case "itemid": item = i; break;
                    case "citationkey" or "citekey": key = i; break;
                    case "libraryid": library = i; break;
                }
            }
            if (item < 0 || key < 0) return;
            while (reader.Read())
            {
                if (reader.IsDBNull(item) || reader.IsDBNull(key)) continue;
                if (library >= 0 && !reader.IsDBNull(library) && reader.GetInt64(library) != libraryId) continue;
                var value = reader.GetString(key).Trim();
                if (value.Length > 0) keys.TryAdd(reader.GetInt64(item), value);
            }
        }

        /// <summary>Better BibTeX before its citationkey table kept its keys as a LokiJS collection, JSON in the <c>better-bibtex</c> table.</summary>
        private void ReadLokiStore(SqliteConnection store, Dictionary<long, string> keys, long libraryId)
        {
            using var command = store.CreateCommand();
            command.CommandText = "SELECT data FROM \"better-bibtex\" WHERE name = 'better-bibtex.citekey'";
            if (command.ExecuteScalar() is not string json) return;
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(json);
                if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != System.Text.Json.JsonValueKind.Array) return;
                foreach (var entry in data.EnumerateArray())
                {
                    if (!entry.TryGetProperty("itemID", out var id) || !id.TryGetInt64(out var itemId)) continue;
                    if (entry.TryGetProperty("libraryID", out var lib) && lib.TryGetInt64(out var l) && l != libraryId) continue;
                    if (entry.TryGetProperty("citekey", out var key) && key.GetString() is { Length: > 0 } k) keys.TryAdd(itemId, k.Trim());
                }
            }
            catch (System.Text.Json.JsonException e)
            {
                _problems.Add(new Problem(Severity.Warning, $"better-bibtex.sqlite holds keys that cannot be read ({e.Message}); keys are taken from Zotero and Extra instead.", new TextSpan(0, 0), Codes.Unreadable));
            }
        }

        /// <summary>The key, in the issue's order: Zotero's citationKey field, Better BibTeX, <c>Citation Key:</c> in Extra; null when none.</summary>
        private static (string? Key, string? Note) KeyOf(Item item, Dictionary<long, string> bbtKeys)
        {
            if (item.Fields.TryGetValue("citationKey", out var own) && own.Length > 0) return (own, null);
            if (bbtKeys.TryGetValue(item.Id, out var bbt)) return (bbt, null);
            if (item.Extra.CitationKey is { } extra) return (extra, "from `Citation Key:` in the item's Extra field");
            return (null, null);
        }

        private Paper ToPaper(Item item, string key, PaperExtras extras)
        {
            var f = item.Fields;
            var extra = item.Extra;
            var fields = new List<KeyValuePair<string, string>>();
            foreach (var (name, value) in f)
                if (ZoteroSchema.CslFields.TryGetValue(name, out var csl)) fields.Add(KeyValuePair.Create(csl, value));
            f.TryGetValue("date", out var storedDate);
            var fieldMap = FieldMap.From(fields);
            var url = f.GetValueOrDefault("url");
            var doi = f.GetValueOrDefault("DOI") ?? extra.Doi;
            return new Paper
            {
                Key = key,
                KeyOrigin = KeyOrigin.Source,
                Type = ZoteroSchema.CslTypes.GetValueOrDefault(item.Type, "article"),
                Title = f.GetValueOrDefault("title") ?? "",
                Authors = [.. item.Creators.Where(c => c.Role == "author").Select(c => c.Person)],
                Editors = [.. item.Creators.Where(c => c.Role == "editor").Select(c => c.Person)],
                Date = ZoteroDates.Parse(storedDate),
                Venue = f.GetValueOrDefault("publicationTitle") ?? f.GetValueOrDefault("conferenceName"),
                Abstract = f.GetValueOrDefault("abstractNote"),
                Url = url,
                Doi = doi,
                ArxivId = extra.Arxiv ?? Arxiv.Find(url, doi, fieldMap),
                Fields = fieldMap,
                Location = new SourceLocation(path, new TextSpan(0, 0), new TextSpan(0, 0)),
                Extras = extras,
            };
        }

        private sealed record Annotation(string Sort, PaperRemark Remark);

        private sealed class ChildIndex
        {
            public Dictionary<long, List<PaperFile>> Files { get; } = [];
            public Dictionary<long, List<Annotation>> Annotations { get; } = [];
            public Dictionary<long, List<PaperRemark>> Notes { get; } = [];
        }

        /// <summary>Attachments, notes and annotations of the library (outside the trash): counted, and kept with the paper they hang off.</summary>
        private (ChildIndex Children, (int Attachments, int Notes, int Annotations) Counts) Children(long libraryId, Dictionary<long, Item> papers)
        {
            var index = new ChildIndex();
            int attachments = 0, notes = 0, annotations = 0;
            var attachmentParent = new Dictionary<long, long>();
            const string Live = "i.libraryID = $lib AND i.itemID NOT IN (SELECT itemID FROM deletedItems)";
            if (_tables.Contains("itemAttachments"))
            {
                using var command = Command($"SELECT a.itemID, a.parentItemID, a.linkMode, a.contentType, a.path, i.key FROM itemAttachments a JOIN items i ON i.itemID = a.itemID WHERE {Live}");
                command.Parameters.AddWithValue("$lib", libraryId);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    attachments++;
                    if (reader.IsDBNull(1)) continue;
                    var parent = reader.GetInt64(1);
                    attachmentParent[reader.GetInt64(0)] = parent;
                    if (!papers.ContainsKey(parent)) continue;
                    var contentType = reader.IsDBNull(3) ? null : reader.GetString(3);
                    var stored = reader.IsDBNull(4) ? null : reader.GetString(4);
                    if (FilePath(stored, reader.GetString(5)) is not { } file) continue;
                    if (!index.Files.TryGetValue(parent, out var list)) index.Files[parent] = list = [];
                    var entry = new PaperFile(file, contentType, System.IO.Path.GetFileName(file));
                    // PDFs first: the hover's link opens the first file.
                    if (contentType == "application/pdf") list.Insert(list.Count(x => x.ContentType == "application/pdf"), entry);
                    else list.Add(entry);
                }
            }
            if (_tables.Contains("itemNotes"))
            {
                using var command = Command($"SELECT n.itemID, n.parentItemID, n.note, n.title FROM itemNotes n JOIN items i ON i.itemID = n.itemID WHERE {Live} ORDER BY n.itemID");
                command.Parameters.AddWithValue("$lib", libraryId);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    notes++;
                    if (reader.IsDBNull(1) || !papers.ContainsKey(reader.GetInt64(1))) continue;
                    var text = PlainText(reader.IsDBNull(2) ? "" : reader.GetString(2));
                    if (text.Length == 0) continue;
                    var parent = reader.GetInt64(1);
                    if (!index.Notes.TryGetValue(parent, out var list)) index.Notes[parent] = list = [];
                    list.Add(new PaperRemark("note", text));
                }
            }
            if (_tables.Contains("itemAnnotations"))
            {
                using var command = Command($"SELECT a.parentItemID, a.type, a.text, a.comment, a.pageLabel, a.sortIndex FROM itemAnnotations a JOIN items i ON i.itemID = a.itemID WHERE {Live}");
                command.Parameters.AddWithValue("$lib", libraryId);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    annotations++;
                    if (!attachmentParent.TryGetValue(reader.GetInt64(0), out var paper) || !papers.ContainsKey(paper)) continue;
                    var kind = reader.GetInt64(1) switch { 1 => "highlight", 2 => "note", 3 => "image", 4 => "ink", 5 => "underline", 6 => "text", _ => "annotation" };
                    var text = reader.IsDBNull(2) ? "" : reader.GetString(2).Trim();
                    var comment = reader.IsDBNull(3) ? null : PlainText(reader.GetString(3));
                    if (text.Length == 0 && string.IsNullOrEmpty(comment)) text = $"({kind})";
                    var page = reader.IsDBNull(4) ? null : reader.GetString(4);
                    if (!index.Annotations.TryGetValue(paper, out var list)) index.Annotations[paper] = list = [];
                    list.Add(new Annotation(reader.GetString(5), new PaperRemark(kind, text, string.IsNullOrEmpty(comment) ? null : comment, string.IsNullOrEmpty(page) ? null : page)));
                }
            }
            return (index, (attachments, notes, annotations));
        }

        /// <summary>
        /// An attachment's file: <c>storage:name.pdf</c> is in <c>storage/KEY/</c> of the data directory; a linked
        /// file's absolute path is itself; a path relative to Zotero's base directory (<c>attachments:</c>) or a
        /// link to a web page is no file we can name.
        /// </summary>
        private string? FilePath(string? stored, string attachmentKey)
        {
            if (string.IsNullOrEmpty(stored)) return null;
            if (stored.StartsWith("storage:", StringComparison.Ordinal))
                return System.IO.Path.Combine(_dataDirectory, "storage", attachmentKey, stored["storage:".Length..]);
            return System.IO.Path.IsPathRooted(stored) ? stored : null;
        }

        private int CountTrashed(long libraryId)
        {
            using var command = Command("SELECT count(*) FROM deletedItems d JOIN items i ON i.itemID = d.itemID WHERE i.libraryID = $lib");
            command.Parameters.AddWithValue("$lib", libraryId);
            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        private HashSet<long> Ids(string sql)
        {
            var ids = new HashSet<long>();
            using var command = Command(sql);
            using var reader = command.ExecuteReader();
            while (reader.Read()) ids.Add(reader.GetInt64(0));
            return ids;
        }

        private string? Scalar(string sql)
        {
            using var command = Command(sql);
            return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        private SqliteCommand Command(string sql)
        {
            var command = db.CreateCommand();
            command.CommandText = sql;
            return command;
        }
    }

    /// <summary>A Zotero note is HTML: its text, tags dropped, entities decoded, whitespace folded.</summary>
    internal static string PlainText(string html)
    {
        var sb = new StringBuilder(html.Length);
        var inTag = false;
        foreach (var c in html)
        {
            if (c == '<') { inTag = true; sb.Append(' '); continue; }
            if (c == '>' && inTag) { inTag = false; continue; }
            if (!inTag) sb.Append(c);
        }
        var text = System.Net.WebUtility.HtmlDecode(sb.ToString());
        return string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t', '\u00a0'], StringSplitOptions.RemoveEmptyEntries));
    }
}
