using System.Collections.Immutable;
using System.Diagnostics;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Zotero;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace BibServer.Loading;

/// <summary>
/// Reading a Zotero database while Zotero runs. Zotero keeps <c>zotero.sqlite</c> open, writes through a
/// write-ahead log (<c>zotero.sqlite-wal</c>) and may hold an exclusive lock, so the server never opens the
/// user's files with SQLite: it copies the database and its log into its own cache directory (never beside the
/// user's files), opens that private copy so that SQLite applies the log's committed writes to it, and hands the
/// resulting bytes to the core's <see cref="ZoteroReader"/>, which opens them in memory. A database without a log
/// is read as bytes straight away: that read is already a private copy. Nothing is ever written to the user's
/// files, and no SQLite lock is ever taken on them, so Zotero is never blocked.
/// </summary>
internal static class ZoteroFiles
{
    /// <summary>The environment variable that names the Zotero data directory, for tests and unusual set-ups.</summary>
    public const string DataDirectoryVariable = "ZOTERO_DATA_DIR";

    public const string DatabaseName = "zotero.sqlite";

    private const string BetterBibtexName = "better-bibtex.sqlite";

    /// <summary>Whether a library path is read as a Zotero database (a <c>*.sqlite</c> file).</summary>
    public static bool IsZotero(string path) => ZoteroReader.IsZoteroPath(path);

    /// <summary>The default database: <c>$ZOTERO_DATA_DIR/zotero.sqlite</c>, else <c>~/Zotero/zotero.sqlite</c>.</summary>
    public static string DefaultDatabase()
    {
        var dir = Environment.GetEnvironmentVariable(DataDirectoryVariable);
        if (string.IsNullOrWhiteSpace(dir)) dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Zotero");
        return Path.GetFullPath(Path.Combine(ExpandHome(dir), DatabaseName));
    }

    /// <summary>
    /// The database a setting names, resolved against the workspace root (a data directory stands for its
    /// zotero.sqlite). What else the setting says is in <see cref="ScopeOf"/>.
    /// </summary>
    public static string Resolve(ZoteroSetting setting, string root)
    {
        var path = setting.Path is { Length: > 0 } named ? Path.GetFullPath(Path.Combine(root, ExpandHome(named))) : DefaultDatabase();
        if (Directory.Exists(path) || !IsZotero(path)) path = Path.Combine(path, DatabaseName);
        return path;
    }

    /// <summary>The database a setting names with the collection and library it is read with.</summary>
    public static ZoteroScopes ScopeOf(ZoteroSetting setting, string root) =>
        ZoteroScopes.Empty.With(Resolve(setting, root), ZoteroOptions.Default with { Collection = setting.Collection, Library = setting.Library });

    /// <summary>What a workspace's bibserver.yaml narrows its <c>zotero:</c> database to (nothing when it has none).</summary>
    public static ZoteroScopes ScopesOf(Core.Workspace.WorkspaceConfig? config, string root) =>
        config?.Zotero is { } zotero ? ScopeOf(zotero, root) : ZoteroScopes.Empty;

    /// <summary>
    /// What the workspace folders' bibserver.yaml files and the editor's setting narrow their databases to, read
    /// afresh: a database that changed is read with what the workspace says now.
    /// </summary>
    public static ZoteroScopes ScopesOf(IEnumerable<string> roots, ZoteroScopes editor)
    {
        var scopes = ZoteroScopes.Empty;
        foreach (var root in roots)
        {
            var full = Path.GetFullPath(root);
            var text = FileReading.ReadFile(Path.Combine(full, Core.Workspace.WorkspaceConfig.FileName));
            if (text is not null) scopes = scopes.Then(ScopesOf(Core.Workspace.WorkspaceConfig.Parse(text), full));
        }
        return scopes.Then(editor);
    }

    /// <summary>A workspace's library patterns: bibserver.yaml's <c>libraries:</c> and then its <c>zotero:</c> database.</summary>
    public static ImmutableArray<string> LibrariesOf(Core.Workspace.WorkspaceConfig config, string root) =>
        config.Zotero is { } zotero ? config.Libraries.Add(Resolve(zotero, root)) : config.Libraries;

    /// <summary>
    /// Marks the database of the editor's <c>bibserver.zotero</c> among the settings' libraries. A writer's Zotero is
    /// their own while bibserver.yaml is shared: so it is read after the workspace's libraries even where a
    /// bibserver.yaml names them (the settings' other libraries are not, as docs/libraries.md says).
    /// </summary>
    public const string EditorSettingPrefix = "zotero-setting:";

    /// <summary>The library patterns of a root: bibserver.yaml's (with the editor's Zotero after them), else the settings'.</summary>
    public static ImmutableArray<string> PatternsOf(Core.Workspace.WorkspaceConfig? config, string root, ImmutableArray<string> settingsLibraries)
    {
        if (config is null) return [.. settingsLibraries.Select(Unmarked)];
        var patterns = LibrariesOf(config, root);
        foreach (var entry in settingsLibraries)
            if (entry.StartsWith(EditorSettingPrefix, StringComparison.Ordinal) && !patterns.Contains(Unmarked(entry))) patterns = patterns.Add(Unmarked(entry));
        return patterns;
    }

    private static string Unmarked(string entry) => entry.StartsWith(EditorSettingPrefix, StringComparison.Ordinal) ? entry[EditorSettingPrefix.Length..] : entry;

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;

    /// <summary>
    /// Where the private copies live: <c>bibserver/zotero</c> in the user's cache directory (the platform's, as the
    /// library cache's: <see cref="LibraryCacheFiles.UserCacheDirectory"/>), else in the temporary directory. They
    /// are needed whether or not the library cache is switched off: Zotero's own database is never opened in place.
    /// </summary>
    public static string CacheDirectory() =>
        Path.Combine(LibraryCacheFiles.UserCacheDirectory() ?? Path.GetTempPath(), "bibserver", "zotero");

    /// <summary>The database read as a library (its bytes, then the core's reader), or null when it does not exist.</summary>
    public static LibraryDocument? Read(string path, ILogger? logger = null, ZoteroOptions? options = null) =>
        Bytes(path, logger, options) is { } bytes ? ZoteroFormat.Instance.ReadBytes(path, bytes) : null;

    /// <summary>
    /// The bytes the core's <see cref="ZoteroReader"/> reads: the database with its log's committed writes in it,
    /// Better BibTeX's keys beside it and the collection and library the setting names (in a table
    /// <c>bibserver_options</c>), all in one private copy; the file itself when there is nothing to add. Null
    /// when the database does not exist. Never writes to the user's files and never throws for a bad file: a
    /// file SQLite cannot open is handed over as it is, for the reader to report.
    /// </summary>
    public static byte[]? Bytes(string path, ILogger? logger = null, ZoteroOptions? options = null)
    {
        if (!File.Exists(path)) return null;
        var clock = Stopwatch.StartNew();
        options ??= ZoteroOptions.Default;
        // A copy taken while Zotero checkpoints its log can pair a database and a log of different moments; the
        // file stamps tell, and the copy is taken again (a few times at most: the write settles).
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var before = Stamps(path);
                var bytes = Snapshot(path, options, out var how);
                if (Stamps(path) == before || attempt == 3)
                {
                    logger?.LogDebug("Read the Zotero database {Path} in {Milliseconds} ms ({How}).", path, clock.ElapsedMilliseconds, how);
                    return bytes;
                }
                logger?.LogDebug("{Path} changed while it was read; reading it again.", path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger?.LogWarning("Could not read the Zotero database {Path}: {Message}", path, e.Message);
                return null;
            }
        }
    }

    /// <summary>Sizes and times of the database and its log, to tell whether they changed while being copied.</summary>
    private static (long, DateTime, long, DateTime) Stamps(string path)
    {
        var db = new FileInfo(path);
        var wal = new FileInfo(path + "-wal");
        return (db.Exists ? db.Length : -1, db.Exists ? db.LastWriteTimeUtc : default, wal.Exists ? wal.Length : -1, wal.Exists ? wal.LastWriteTimeUtc : default);
    }

    private static bool HasLog(string path) => File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0;

    /// <summary>
    /// The bytes with everything in them. Without a log, Better BibTeX's file or options, that is the file itself;
    /// else the database (and its log) is copied into the cache and the copy opened, which applies the log;
    /// Better BibTeX's tables and the options are written into the copy, which is set back to a rollback journal
    /// so that its bytes hold everything.
    /// </summary>
    private static byte[] Snapshot(string path, ZoteroOptions options, out string how)
    {
        var bbt = Path.Combine(Path.GetDirectoryName(path)!, BetterBibtexName);
        var hasBbt = File.Exists(bbt);
        var hasOptions = options.Collection is { Length: > 0 } || options.Library is { Length: > 0 };
        if (!HasLog(path) && !hasBbt && !hasOptions)
        {
            how = "its bytes as they are";
            return ReadShared(path);
        }
        var dir = Path.Combine(CacheDirectory(), Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(path)))[..16]);
        Directory.CreateDirectory(dir);
        var copy = Path.Combine(dir, Path.GetFileName(path));
        var bbtCopy = Path.Combine(dir, BetterBibtexName);
        foreach (var stale in (string[])[copy, copy + "-wal", copy + "-shm", copy + "-journal", bbtCopy, bbtCopy + "-wal", bbtCopy + "-shm"])
            if (File.Exists(stale)) File.Delete(stale);
        // The log first: a checkpoint between the two copies then leaves a database newer than its log's start,
        // whose frames SQLite ignores (their salt no longer matches), rather than a log without its base.
        // File.Copy lets the system copy the bytes (no trip through this process), and takes no SQLite lock.
        if (HasLog(path)) File.Copy(path + "-wal", copy + "-wal");
        File.Copy(path, copy);
        try
        {
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
            {
                connection.Open();
                void Run(string sql, params (string, object)[] parameters)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = sql;
                    foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
                    command.ExecuteNonQuery();
                }
                // The copy is thrown away after one read: it need not survive a power cut, so nothing is synced.
                Run("PRAGMA synchronous = OFF");
                if (hasBbt)
                {
                    if (HasLog(bbt)) File.Copy(bbt + "-wal", bbtCopy + "-wal");
                    File.Copy(bbt, bbtCopy);
                    Run("ATTACH DATABASE $file AS bbt", ("$file", bbtCopy));
                    var tables = new List<string>();
                    using (var command = connection.CreateCommand())
                    {
                        command.CommandText = "SELECT name FROM bbt.sqlite_master WHERE type = 'table' AND name IN ('citationkey', 'better-bibtex')";
                        using var reader = command.ExecuteReader();
                        while (reader.Read()) tables.Add(reader.GetString(0));
                    }
                    foreach (var table in tables)
                        Run($"CREATE TABLE IF NOT EXISTS main.\"{table}\" AS SELECT * FROM bbt.\"{table}\"");
                    Run("DETACH DATABASE bbt");
                }
                if (hasOptions)
                {
                    Run("CREATE TABLE bibserver_options (name TEXT PRIMARY KEY, value TEXT)");
                    if (options.Collection is { Length: > 0 } collection) Run("INSERT INTO bibserver_options VALUES ('collection', $v)", ("$v", collection));
                    if (options.Library is { Length: > 0 } library) Run("INSERT INTO bibserver_options VALUES ('library', $v)", ("$v", library));
                }
                // Leaving WAL mode checkpoints the log into the copy, so the bytes hold everything.
                Run("PRAGMA journal_mode = DELETE");
            }
            how = HasLog(path) ? "copied with its log, the log applied" : "copied";
            return File.ReadAllBytes(copy);
        }
        catch (SqliteException e)
        {
            // Damaged, cut off, or not SQLite at all: the reader says so, from the file as it is.
            how = $"as it is: SQLite could not open a copy ({e.Message})";
            return ReadShared(path);
        }
        finally
        {
            foreach (var file in (string[])[copy, copy + "-wal", copy + "-shm", copy + "-journal", bbtCopy, bbtCopy + "-wal", bbtCopy + "-shm"])
                if (File.Exists(file)) File.Delete(file);
        }
    }

    /// <summary>A file's bytes, opened to share every kind of access: Zotero may write and delete while we read.</summary>
    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        var length = stream.Length;
        var bytes = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = stream.Read(bytes, read, (int)(length - read));
            if (n == 0) break;
            read += n;
        }
        return read == length ? bytes : bytes[..read];
    }
}
