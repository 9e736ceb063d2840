using System.Collections.Immutable;
using BibServer.Core.Libraries;
using BibServer.Core.Workspace;
using Microsoft.Extensions.Logging;

namespace BibServer.Loading;

/// <summary>What the server watches on disk, and the watcher it runs itself when the client cannot watch for it.</summary>
internal static class FileWatching
{
    /// <summary>
    /// The globs the client is asked to watch: every library format's (<see cref="LibraryFormats.WatchGlobs"/>),
    /// notes, the server's own configuration, and a Manubot manuscript's tags (<see cref="ManubotFiles"/>; its cache
    /// of references is JSON, which the libraries' globs hold). The VS Code client watches exactly these.
    /// </summary>
    public static ImmutableArray<string> Globs { get; } =
        [.. LibraryFormats.WatchGlobs, "**/*.md", "**/*.qmd", "**/" + WorkspaceConfig.FileName, "**/content/" + ManubotFiles.TagsFile];

    /// <summary>The extensions of the globs' files (<c>**/*.bib</c> gives <c>.bib</c>), for our own watcher.</summary>
    private static readonly ImmutableHashSet<string> Extensions = Globs
        .Select(glob => Path.GetExtension(glob))
        .Where(extension => extension.Length > 0)
        .ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Folders whose files are never the user's notes or libraries, and can be huge.</summary>
    private static readonly ImmutableHashSet<string> IgnoredFolders =
        ImmutableHashSet.Create(StringComparer.Ordinal, "node_modules", ".git", "bin", "obj");

    public static bool IsWatched(string path) => Extensions.Contains(Path.GetExtension(path)) && !IsIgnored(path);

    public static bool IsIgnored(string path)
    {
        foreach (var part in path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (IgnoredFolders.Contains(part)) return true;
        }
        return false;
    }
}

/// <summary>
/// Watches the workspace roots with FileSystemWatcher, for clients that cannot register file watchers. Events
/// arrive in bursts (an editor's save is several), so they are gathered for a short while and handed on as one
/// batch, with one kind per path.
/// </summary>
internal sealed class WorkspaceFileWatcher : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Action<IReadOnlyList<(string Path, FileChangeKind Kind)>> _onChanged;
    private readonly TimeSpan _delay;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FileChangeKind> _batch = new(StringComparer.Ordinal);
    private readonly Timer _timer;

    public WorkspaceFileWatcher(IEnumerable<string> roots, Action<IReadOnlyList<(string Path, FileChangeKind Kind)>> onChanged, TimeSpan delay, ILogger logger)
    {
        _onChanged = onChanged;
        _delay = delay;
        _logger = logger;
        _timer = new Timer(_ => Flush());
        foreach (var root in roots.Where(Directory.Exists))
        {
            try
            {
                var watcher = new FileSystemWatcher(root)
                {
                    IncludeSubdirectories = true,
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
                };
                watcher.Created += (_, e) => Add(e.FullPath, FileChangeKind.Created);
                watcher.Changed += (_, e) => Add(e.FullPath, FileChangeKind.Changed);
                watcher.Deleted += (_, e) => Add(e.FullPath, FileChangeKind.Deleted);
                watcher.Renamed += (_, e) =>
                {
                    Add(e.OldFullPath, FileChangeKind.Deleted);
                    Add(e.FullPath, FileChangeKind.Created);
                };
                watcher.Error += (_, e) => _logger.LogWarning("Watching {Root} failed: {Message}", root, e.GetException().Message);
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
                _logger.LogDebug("Watching {Root} for changes.", root);
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                _logger.LogWarning("Cannot watch {Root}: {Message}", root, e.Message);
            }
        }
    }

    private void Add(string path, FileChangeKind kind)
    {
        if (!FileWatching.IsWatched(path)) return;
        lock (_gate)
        {
            // A file created and then written within one batch is still new to us.
            _batch[path] = _batch.TryGetValue(path, out var earlier) && earlier == FileChangeKind.Created && kind == FileChangeKind.Changed
                ? FileChangeKind.Created
                : kind;
            _timer.Change(_delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Flush()
    {
        (string, FileChangeKind)[] batch;
        lock (_gate)
        {
            batch = [.. _batch.Select(pair => (pair.Key, pair.Value))];
            _batch.Clear();
        }
        if (batch.Length > 0) _onChanged(batch);
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers) watcher.Dispose();
        _timer.Dispose();
    }
}
