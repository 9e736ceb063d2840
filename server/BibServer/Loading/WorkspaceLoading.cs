using System.Collections.Immutable;
using BibServer.Core.Workspace;
using Microsoft.Extensions.Logging;

namespace BibServer.Loading;

/// <summary>Reads a whole workspace, every root of it, for the language server.</summary>
internal static class WorkspaceLoading
{
    /// <summary>
    /// The libraries of every root, in root order, and every note on disk (find-references and code lens
    /// count citations in notes that are not open). Returns the snapshot and where its libraries came from.
    /// </summary>
    public static (WorkspaceSnapshot Workspace, string Source) Load(ImmutableArray<string> roots, ImmutableArray<string> settingsLibraries, Action<string, int?>? report = null, ILogger? logger = null)
    {
        var (libraries, source, notes) = LoadLibraries(roots, settingsLibraries, report, logger);
        return (WorkspaceLoader.ReadNotes(libraries, notes, WorkspaceLoader.ReadFile, logger), source);
    }

    /// <summary>
    /// The libraries of every root, in root order, and the paths of the notes on disk, not yet read: the
    /// language server publishes diagnostics with the libraries and reads the notes after.
    /// </summary>
    public static (WorkspaceSnapshot Workspace, string Source, ImmutableArray<string> Notes) LoadLibraries(
        ImmutableArray<string> roots, ImmutableArray<string> settingsLibraries, Action<string, int?>? report = null, ILogger? logger = null,
        Func<ImmutableArray<string>, LibraryState?>? ahead = null)
    {
        Func<string, string?> read = WorkspaceLoader.ReadFile;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var found = roots.Select(root => WorkspaceFiles.Find(root, settingsLibraries, read)).ToList();
        var libraries = found.SelectMany(f => f.Libraries).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var merged = new WorkspaceFiles(
            roots.FirstOrDefault() ?? "",
            found.Count == 0 ? LibrarySource.Settings : found[0].Source,
            libraries,
            found.SelectMany(f => f.Notes).Distinct(StringComparer.Ordinal).ToImmutableArray(),
            found.SelectMany(f => f.DiscoveredDocuments).ToImmutableArray(),
            found.FirstOrDefault()?.Config ?? WorkspaceConfig.Empty);
        logger?.LogDebug("Found {Libraries} libraries and {Notes} notes in {Milliseconds} ms.", libraries.Length, merged.Notes.Length, clock.ElapsedMilliseconds);
        report?.Invoke($"Reading {libraries.Length} libraries", 20);
        return (WorkspaceLoader.Load(merged, read, logger: logger, ahead: ahead), merged.Source.ToString(), merged.Notes);
    }
}
