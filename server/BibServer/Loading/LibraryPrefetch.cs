using System.Collections.Immutable;
using BibServer.Core.Workspace;
using Microsoft.Extensions.Logging;

namespace BibServer.Loading;

/// <summary>
/// The workspace's libraries read, merged and indexed ahead, from initialize on, while client and server
/// exchange initialized, progress and file-watching messages: for a 150 MB library that is most of a second
/// the first load then does not wait for. Only libraries that bibserver.yaml or the settings name (a workspace
/// without either is discovered by the load itself, which reads every file anyway). The first load takes the
/// result when it finds the same files, none of them changed since they were read; else it reads them itself.
/// </summary>
internal sealed class LibraryPrefetch
{
    private sealed record Ahead(ImmutableArray<string> Paths, ImmutableArray<(long Length, DateTime Written)?> Stamps, LibraryState State);

    private readonly Task<Ahead?> _reading;
    private readonly ILogger? _logger;

    /// <summary>The workspace folders and the settings' libraries the reading was started for.</summary>
    public ImmutableArray<string> Roots { get; }
    public ImmutableArray<string> SettingsLibraries { get; }

    /// <summary>What the editor's <c>bibserver.zotero</c> narrows its database to.</summary>
    public ZoteroScopes EditorZotero { get; }

    public LibraryPrefetch(ImmutableArray<string> roots, ImmutableArray<string> settingsLibraries, ILogger? logger = null, ZoteroScopes? editorZotero = null)
    {
        _logger = logger;
        Roots = roots;
        SettingsLibraries = settingsLibraries;
        EditorZotero = editorZotero ?? ZoteroScopes.Empty;
        _reading = Task.Run(() =>
        {
            var paths = new List<string>();
            var zotero = ZoteroScopes.Empty;
            foreach (var root in roots)
            {
                var full = Path.GetFullPath(root);
                var config = FileReading.ReadFile(Path.Combine(full, WorkspaceConfig.FileName)) is { } text ? WorkspaceConfig.Parse(text) : null;
                // As WorkspaceFiles.Find chooses: bibserver.yaml, else the settings, else discovery (not done ahead).
                if (config is null && settingsLibraries.IsDefaultOrEmpty) return null;
                paths.AddRange(WorkspaceFiles.Expand(full, ZoteroFiles.PatternsOf(config, full, settingsLibraries)));
                zotero = zotero.Then(ZoteroFiles.ScopesOf(config, full));
            }
            if (paths.Count == 0) return null;
            var files = paths.Distinct(StringComparer.Ordinal).ToImmutableArray();
            // Stamped before reading: a file written while it is read then no longer matches its stamp.
            var stamps = files.Select(Stamp).ToImmutableArray();
            var state = WorkspaceLoader.ReadLibraries(LibraryState.Empty, files, [], logger, files, zotero.Then(EditorZotero));
            return new Ahead(files, stamps, state);
        });
    }

    /// <summary>Whether this reading was started for these workspace folders and settings.</summary>
    public bool IsFor(ImmutableArray<string> roots, ImmutableArray<string> settingsLibraries, ZoteroScopes? editorZotero = null) =>
        Roots.SequenceEqual(roots) && SettingsLibraries.SequenceEqual(settingsLibraries) && EditorZotero.SameAs(editorZotero ?? ZoteroScopes.Empty);

    /// <summary>
    /// The libraries read ahead, if they are exactly <paramref name="libraries"/> (the load's list, in order) and
    /// no file among them has changed, been created or been deleted since; waits for the reading if it is under way.
    /// </summary>
    public LibraryState? Take(ImmutableArray<string> libraries)
    {
        Ahead? ahead;
        try
        {
            ahead = _reading.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            // A vanished folder, a path the system refuses: the load reads and reports for itself.
            _logger?.LogDebug("Reading the libraries ahead failed ({Message}); the load reads them.", e.Message);
            return null;
        }
        if (ahead is null) return null;
        if (!ahead.Paths.SequenceEqual(libraries, StringComparer.Ordinal))
        {
            _logger?.LogDebug("The libraries read ahead are not the workspace's now; reading them again.");
            return null;
        }
        for (var i = 0; i < ahead.Paths.Length; i++)
        {
            if (Stamp(ahead.Paths[i]) == ahead.Stamps[i]) continue;
            _logger?.LogDebug("{Path} changed since it was read ahead; reading the libraries again.", ahead.Paths[i]);
            return null;
        }
        _logger?.LogDebug("Took the {Libraries} libraries read ahead since initialize.", ahead.Paths.Length);
        return ahead.State;
    }

    private static (long Length, DateTime Written)? Stamp(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            // A Zotero database changes through its log: a write there since the read is a change too.
            var log = new FileInfo(path + "-wal");
            return ZoteroFiles.IsZotero(path) && log.Exists
                ? (info.Length + log.Length, info.LastWriteTimeUtc > log.LastWriteTimeUtc ? info.LastWriteTimeUtc : log.LastWriteTimeUtc)
                : (info.Length, info.LastWriteTimeUtc);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
