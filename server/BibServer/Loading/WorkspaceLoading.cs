using System.Collections.Immutable;
using BibServer.Core.Workspace;

namespace BibServer.Loading;

/// <summary>Reads a whole workspace, every root of it, for the language server.</summary>
internal static class WorkspaceLoading
{
    /// <summary>
    /// The libraries of every root, in root order, and every note on disk (find-references and code lens
    /// count citations in notes that are not open). Returns the snapshot and where its libraries came from.
    /// </summary>
    public static (WorkspaceSnapshot Workspace, string Source) Load(ImmutableArray<string> roots, ImmutableArray<string> settingsLibraries, Action<string, int?>? report = null)
    {
        var found = roots.Select(root => WorkspaceFiles.Find(root, settingsLibraries, WorkspaceLoader.ReadFile)).ToList();
        var libraries = found.SelectMany(f => f.Libraries).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var merged = new WorkspaceFiles(
            roots.FirstOrDefault() ?? "",
            found.Count == 0 ? LibrarySource.Settings : found[0].Source,
            libraries,
            found.SelectMany(f => f.Notes).Distinct(StringComparer.Ordinal).ToImmutableArray(),
            found.SelectMany(f => f.DiscoveredDocuments).ToImmutableArray(),
            found.FirstOrDefault()?.Config ?? WorkspaceConfig.Empty);
        report?.Invoke($"Reading {libraries.Length} libraries and {merged.Notes.Length} notes", 20);
        var workspace = WorkspaceLoader.Load(merged, WorkspaceLoader.ReadFile, merged.Notes);
        return (workspace, merged.Source.ToString());
    }
}
