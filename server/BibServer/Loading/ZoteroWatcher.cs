using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace BibServer.Loading;

/// <summary>
/// Watches the Zotero databases the workspace reads, wherever they are (a data directory is seldom inside the
/// workspace, so the editor's file watching does not see it). Zotero writes a change as several writes to the
/// database and its log, and a sync or an import as hundreds: events are gathered until none has come for
/// <c>settle</c>, then the databases they touched are handed on once, to be read once.
/// A database is read before it is watched (the load says which databases there are), so a write between the
/// read and the watch's start makes no event: <see cref="Watch"/> compares each newly watched database's time
/// stamps (and its log's) with the moment its read began, and a database written since is read again.
/// </summary>
internal sealed class ZoteroWatcher : IDisposable
{
    private readonly Action<IReadOnlyList<string>> _onChanged;
    private readonly TimeSpan _settle;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private ImmutableHashSet<string> _databases = ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal);
    private readonly Timer _timer;
    private bool _disposed;

    public ZoteroWatcher(Action<IReadOnlyList<string>> onChanged, TimeSpan settle, ILogger logger)
    {
        _onChanged = onChanged;
        _settle = settle;
        _logger = logger;
        _timer = new Timer(_ => Flush());
    }

    /// <summary>
    /// Watches exactly these databases (absolute paths); folders no longer needed are let go. A database not
    /// watched before that was written at or after <paramref name="readSince"/> (when the reading of the
    /// workspace's libraries began) may hold a write its read missed: it is handed on to be read again, as an
    /// event would have; those are returned.
    /// </summary>
    public IReadOnlyList<string> Watch(IEnumerable<string> databases, DateTime readSince)
    {
        lock (_gate)
        {
            if (_disposed) return [];
            var wanted = databases.ToImmutableHashSet(StringComparer.Ordinal);
            if (wanted.SetEquals(_databases)) return [];
            var added = wanted.Except(_databases);
            _databases = wanted;
            var folders = wanted.Select(p => Path.GetDirectoryName(p)!).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _watchers.Keys.Where(f => !folders.Contains(f)).ToList())
            {
                _watchers[gone].Dispose();
                _watchers.Remove(gone);
            }
            foreach (var folder in folders.Where(f => !_watchers.ContainsKey(f) && Directory.Exists(f)))
            {
                try
                {
                    var watcher = new FileSystemWatcher(folder)
                    {
                        IncludeSubdirectories = false,
                        NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
                    };
                    watcher.Created += (_, e) => Add(e.FullPath);
                    watcher.Changed += (_, e) => Add(e.FullPath);
                    watcher.Deleted += (_, e) => Add(e.FullPath);
                    watcher.Renamed += (_, e) =>
                    {
                        Add(e.OldFullPath);
                        Add(e.FullPath);
                    };
                    watcher.Error += (_, e) => _logger.LogWarning("Watching the Zotero folder {Folder} failed: {Message}", folder, e.GetException().Message);
                    watcher.EnableRaisingEvents = true;
                    _watchers[folder] = watcher;
                    _logger.LogDebug("Watching the Zotero folder {Folder} for changes.", folder);
                }
                catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
                {
                    _logger.LogWarning("Cannot watch the Zotero folder {Folder}: {Message}", folder, e.Message);
                }
            }
            // Checked after the watchers started: a write after this is an event, a write before it shows here.
            var missed = added.Where(db => WrittenSince(db, readSince)).Order(StringComparer.Ordinal).ToList();
            foreach (var db in missed)
            {
                _logger.LogDebug("{Path} was written after its read began and before it was watched; reading it again.", db);
                _pending.Add(db);
            }
            if (missed.Count > 0) _timer.Change(_settle, Timeout.InfiniteTimeSpan);
            return missed;
        }
    }

    /// <summary>
    /// How far a file's time stamp may lag the clock the read's start was taken from: the system stamps files
    /// from a coarse clock (a tick of a few milliseconds), so a write just after the read began can carry a
    /// stamp a little before it. Erring this way costs at most one read more.
    /// </summary>
    private static readonly TimeSpan StampLag = TimeSpan.FromMilliseconds(50);

    /// <summary>Whether the database, its log or Better BibTeX's store beside it was written at or after this moment.</summary>
    private static bool WrittenSince(string db, DateTime since)
    {
        var folder = Path.GetDirectoryName(db)!;
        foreach (var file in (string[])[db, db + "-wal", db + "-journal", Path.Combine(folder, "better-bibtex.sqlite"), Path.Combine(folder, "better-bibtex.sqlite-wal")])
        {
            try
            {
                var info = new FileInfo(file);
                if (info.Exists && info.LastWriteTimeUtc >= since - StampLag) return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A file we cannot look at is not one we could have read either.
            }
        }
        return false;
    }

    /// <summary>The database a file belongs to: itself, its log or journal, or Better BibTeX's store beside it.</summary>
    private string? DatabaseOf(string file)
    {
        var name = Path.GetFileName(file);
        var folder = Path.GetDirectoryName(file);
        foreach (var db in _databases)
        {
            if (!string.Equals(Path.GetDirectoryName(db), folder, StringComparison.Ordinal)) continue;
            var dbName = Path.GetFileName(db);
            if (name == dbName || name == dbName + "-wal" || name == dbName + "-journal" || name.StartsWith("better-bibtex.sqlite", StringComparison.Ordinal)) return db;
        }
        return null;
    }

    private void Add(string file)
    {
        lock (_gate)
        {
            if (_disposed || DatabaseOf(file) is not { } db) return;
            _pending.Add(db);
            // Every event pushes the read back: it comes once the writes have settled.
            _timer.Change(_settle, Timeout.InfiniteTimeSpan);
        }
    }

    private void Flush()
    {
        string[] changed;
        lock (_gate)
        {
            changed = [.. _pending];
            _pending.Clear();
        }
        if (changed.Length > 0) _onChanged(changed);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var watcher in _watchers.Values) watcher.Dispose();
            _watchers.Clear();
        }
        _timer.Dispose();
    }
}
