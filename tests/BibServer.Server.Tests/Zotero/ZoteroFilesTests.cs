using System.Diagnostics;
using BibServer.Core.Tests.Zotero;
using BibServer.Loading;
using Microsoft.Data.Sqlite;

namespace BibServer.Server.Tests.Zotero;

/// <summary>
/// Reading a Zotero database as Zotero leaves it while it runs: recent writes only in the write-ahead log, an
/// exclusive lock held by another process. The user's files are never changed, and nothing is written beside them.
/// </summary>
public sealed class ZoteroFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bibserver-zotero-files-").FullName;
    private readonly string _cache = Directory.CreateTempSubdirectory("bibserver-zotero-cache-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(_cache, recursive: true);
    }

    private static Dictionary<string, byte[]> Files(string dir) =>
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Fact]
    public void Writes_only_in_the_log_are_read_and_the_users_files_stay_as_they_were()
    {
        var path = Path.Combine(_dir, "zotero.sqlite");
        using var zotero = ZoteroDatabase.Create(path, wal: true);
        // Zotero's connection stays open, as Zotero's does: its log is not folded into the database on close.
        zotero.Execute("PRAGMA wal_autocheckpoint = 0");
        zotero.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        var (id, _) = zotero.AddItem("journalArticle", "Only In The Log", [new("Ada", "Lovelace")], new Dictionary<string, string> { ["citationKey"] = "inlog2024" });
        Assert.True(new FileInfo(path + "-wal").Length > 0);
        // The database file alone does not have the item: a reader that ignored the log would miss it.
        Assert.DoesNotContain(Core.Libraries.Zotero.ZoteroReader.Read(path, File.ReadAllBytes(path)).Papers, p => p.Key == "inlog2024");

        var before = Files(_dir);
        var document = ReadWithCache(path);

        Assert.NotNull(document);
        Assert.Empty(document.Problems);
        Assert.Equal("Only In The Log", Assert.Single(document.Papers, p => p.Key == "inlog2024").Title);
        var after = Files(_dir);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
        // The private copy went to the cache directory, and is gone once read.
        Assert.Empty(Directory.GetFiles(_cache, "zotero.sqlite", SearchOption.AllDirectories));
        GC.KeepAlive(id);
    }

    [Fact]
    public async Task A_database_under_an_exclusive_lock_of_another_process_is_read_without_waiting_for_it()
    {
        var path = Path.Combine(_dir, "zotero.sqlite");
        using (var zotero = ZoteroDatabase.Create(path, wal: true))
            zotero.AddItem("book", "Before The Lock", [new("Ada", "Lovelace")], new Dictionary<string, string> { ["citationKey"] = "before" });

        // Another process (the sqlite3 program, as Zotero would) takes the lock Zotero takes and writes under it.
        var start = new ProcessStartInfo("sqlite3", [path]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var holder = Process.Start(start)!;
        try
        {
            await holder.StandardInput.WriteLineAsync(
                "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; "
                + "INSERT INTO items (itemTypeID, libraryID, key) VALUES ((SELECT itemTypeID FROM itemTypes WHERE typeName = 'book'), 1, 'LOCKED22'); "
                + "INSERT INTO itemDataValues (value) VALUES ('Written Under The Lock'); "
                + "INSERT INTO itemData VALUES ((SELECT itemID FROM items WHERE key = 'LOCKED22'), (SELECT fieldID FROM fields WHERE fieldName = 'title'), "
                + "(SELECT valueID FROM itemDataValues WHERE value = 'Written Under The Lock')); COMMIT; SELECT 'locked';");
            await holder.StandardInput.FlushAsync();
            // sqlite3 prints the new locking mode ("exclusive"), then our marker once the write is committed.
            while (await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line && line != "locked") { }

            // The lock is real: SQLite itself cannot read the database now.
            using (var other = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False;Default Timeout=1"))
            {
                other.Open();
                using var command = other.CreateCommand();
                command.CommandText = "SELECT count(*) FROM items";
                var refused = Assert.Throws<SqliteException>(() => command.ExecuteScalar());
                Assert.Contains("locked", refused.Message);
            }

            var document = ReadWithCache(path);
            Assert.NotNull(document);
            Assert.Empty(document.Problems);
            Assert.Equal(["Before The Lock", "Written Under The Lock"], document.Papers.Select(p => p.Title));
            Assert.False(holder.HasExited);
        }
        finally
        {
            holder.StandardInput.Close();
            await holder.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public void The_settings_collection_and_Better_BibTeX_file_reach_the_reader_in_the_private_copy()
    {
        var folder = Path.Combine(_dir, "withkeys");
        var path = Path.Combine(folder, "zotero.sqlite");
        (long Id, string Key) kept;
        using (var zotero = ZoteroDatabase.Create(path))
        {
            var survey = zotero.AddCollection("Survey");
            var inner = zotero.AddCollection("Alignment", survey);
            kept = zotero.AddItem("journalArticle", "In The Collection", [new("Ada", "Lovelace")]);
            zotero.AddToCollection(inner, kept.Id);
            zotero.AddItem("journalArticle", "Outside It", [new("Alan", "Turing")]);
        }
        using (var bbt = new SqliteConnection($"Data Source={Path.Combine(folder, "better-bibtex.sqlite")};Pooling=False"))
        {
            bbt.Open();
            using var command = bbt.CreateCommand();
            command.CommandText = "CREATE TABLE citationkey (itemID INTEGER PRIMARY KEY, itemKey TEXT, libraryID INTEGER, citationKey TEXT, pinned INTEGER);"
                                  + $"INSERT INTO citationkey VALUES ({kept.Id}, '{kept.Key}', 1, 'pinnedByBBT', 1)";
            command.ExecuteNonQuery();
        }
        var before = Files(folder);
        // The setting's collection travels with the scopes handed to the read, not in a table of the process.
        var scopes = ZoteroFiles.ScopeOf(new(Path: folder, Collection: "Survey/Alignment"), _dir);
        Assert.Equal(path, ZoteroFiles.Resolve(new(Path: folder, Collection: "Survey/Alignment"), _dir));
        Assert.Equal(2, ReadWithCache(path)!.Papers.Length);

        var document = ReadWithCache(path, scopes.For(path))!;

        Assert.Empty(document.Problems);
        var paper = Assert.Single(document.Papers);
        Assert.Equal(("pinnedByBBT", "In The Collection"), (paper.Key, paper.Title));
        var after = Files(folder);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
    }

    [Fact]
    public void A_missing_database_is_missing_and_a_damaged_one_is_one_clear_problem()
    {
        Assert.Null(ZoteroFiles.Read(Path.Combine(_dir, "zotero.sqlite")));
        var damaged = Path.Combine(_dir, "damaged", "zotero.sqlite");
        Directory.CreateDirectory(Path.GetDirectoryName(damaged)!);
        var real = File.ReadAllBytes(TestData.Path("zotero", "zotero-6-control", "zotero.sqlite"));
        File.WriteAllBytes(damaged, real[..(real.Length / 2)]);
        var document = ZoteroFiles.Read(damaged)!;
        Assert.Empty(document.Papers);
        Assert.Contains("cannot be read", Assert.Single(document.Problems).Message);
    }

    [Fact]
    public void The_setting_names_the_default_data_directory_a_path_or_a_folder_with_its_collection()
    {
        var folder = Path.Combine(_dir, "data");
        Directory.CreateDirectory(folder);
        Assert.Equal(Path.Combine(folder, "zotero.sqlite"), ZoteroFiles.Resolve(new(Path: "data"), _dir));
        Assert.Equal(Path.Combine(_dir, "x", "zotero.sqlite"), ZoteroFiles.Resolve(new(Path: "x/zotero.sqlite", Collection: "A/B"), _dir));
        var config = Core.Workspace.WorkspaceConfig.Parse("libraries: [refs.bib]\nzotero:\n  path: data\n  collection: Survey/Alignment\n  library: Lab\n");
        Assert.Empty(config.Problems);
        Assert.Equal(new Core.Libraries.Zotero.ZoteroSetting("data", "Survey/Alignment", "Lab"), config.Zotero);
        Assert.Equal(string.Join("|", "refs.bib", Path.Combine(folder, "zotero.sqlite")), string.Join("|", ZoteroFiles.LibrariesOf(config, _dir)));
        Assert.Equal(new Core.Libraries.Zotero.ZoteroSetting(), Core.Workspace.WorkspaceConfig.Parse("zotero: true").Zotero);
        Assert.Null(Core.Workspace.WorkspaceConfig.Parse("zotero: false").Zotero);
        Assert.Single(Core.Workspace.WorkspaceConfig.Parse("zotero: [1, 2]").Problems);

        var (settings, problems) = ServerSettings.Parse(System.Text.Json.JsonDocument.Parse(
            "{\"bibserver\": {\"libraries\": [\"refs.bib\"], \"zotero\": {\"path\": \"" + folder + "\", \"collection\": \"Survey\"}}}").RootElement);
        Assert.Empty(problems);
        Assert.Equal(string.Join("|", "refs.bib", "zotero-setting:" + Path.Combine(folder, "zotero.sqlite")), string.Join("|", settings.Libraries));
        // The editor's Zotero is read after a bibserver.yaml's libraries, which replace the settings' other libraries.
        Assert.Equal(string.Join("|", "shared.bib", Path.Combine(folder, "zotero.sqlite")),
            string.Join("|", ZoteroFiles.PatternsOf(Core.Workspace.WorkspaceConfig.Parse("libraries: [shared.bib]"), _dir, settings.Libraries)));
        Assert.Equal(string.Join("|", "refs.bib", Path.Combine(folder, "zotero.sqlite")), string.Join("|", ZoteroFiles.PatternsOf(null, _dir, settings.Libraries)));
    }

    /// <summary>Reads with the cache directory in this test's folder (XDG_CACHE_HOME is read on each read).</summary>
    private Core.Libraries.LibraryDocument? ReadWithCache(string path, Core.Libraries.Zotero.ZoteroOptions? options = null)
    {
        lock (CacheGate)
        {
            var old = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", _cache);
            try
            {
                return ZoteroFiles.Read(path, options: options);
            }
            finally
            {
                Environment.SetEnvironmentVariable("XDG_CACHE_HOME", old);
            }
        }
    }

    private static readonly Lock CacheGate = new();
}
