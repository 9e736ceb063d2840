using System.Collections.Immutable;
using BibServer.Core.Features;
using LSP = BibServer.Protocol;

namespace BibServer.Server;

/// <summary>Papers and problems per library: the client's status bar and its statistics command.</summary>
internal static class LibraryStatistics
{
    public static LSP.LibraryStatsResult Of(ServerSnapshot snapshot)
    {
        var libs = snapshot.Workspace.Libraries;
        // A row counts the merged papers a library holds: a paper a scraped list shows twice (under two venues)
        // is one paper, and a paper two libraries share counts in both rows, once in the total.
        var held = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(string path) => held[path] = held.GetValueOrDefault(path) + 1;
        foreach (var paper in libs.Workspace.Papers)
        {
            Count(paper.Location.Path);
            if (paper.OtherListings.IsEmpty) continue;
            foreach (var other in paper.OtherListings.Select(l => l.Location.Path).Distinct(StringComparer.Ordinal))
                if (other != paper.Location.Path) Count(other);
        }
        var rows = ImmutableArray.CreateBuilder<LSP.LibraryStats>();
        foreach (var path in libs.WorkspaceLibraries)
        {
            if (libs.Document(path) is not { } doc)
            {
                rows.Add(new LSP.LibraryStats(path, "missing", 0, 1));
                continue;
            }
            rows.Add(new LSP.LibraryStats(path, doc.Format.ToString(), held.GetValueOrDefault(path), Diagnostics.ForLibrary(snapshot.Workspace, path).Length, doc.Summary));
        }
        return new LSP.LibraryStatsResult(rows.ToImmutable(), libs.Workspace.Papers.Length, rows.Sum(r => r.Problems), snapshot.LibrarySource);
    }
}
