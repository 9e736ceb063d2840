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
        var rows = ImmutableArray.CreateBuilder<LSP.LibraryStats>();
        foreach (var path in libs.WorkspaceLibraries)
        {
            if (libs.Document(path) is not { } doc)
            {
                rows.Add(new LSP.LibraryStats(path, "missing", 0, 1));
                continue;
            }
            rows.Add(new LSP.LibraryStats(path, doc.Format.ToString(), doc.Papers.Length, Diagnostics.ForLibrary(snapshot.Workspace, path).Length));
        }
        return new LSP.LibraryStatsResult(rows.ToImmutable(), libs.Workspace.Papers.Length, rows.Sum(r => r.Problems), snapshot.LibrarySource);
    }
}
