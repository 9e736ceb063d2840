using System.Collections.Immutable;
using BibServer.Core.Papers;
using BibServer.Core.Workspace;

namespace BibServer.Core.Annotations;

/// <summary>
/// Which papers of the workspace's libraries no note cites yet. The citation counts of every key are summed
/// once per notes map (and adjusted for the notes that changed since the last sum), so the answer is one
/// look-up per paper: 100,000 papers cost milliseconds (docs/benchmarks.md).
/// </summary>
public static class Coverage
{
    /// <summary>The uncited papers of the merged workspace libraries, in library order then entry order.</summary>
    public static ImmutableArray<Paper> Uncited(WorkspaceSnapshot snapshot)
    {
        var papers = snapshot.Libraries.Workspace.Papers;
        var result = ImmutableArray.CreateBuilder<Paper>();
        foreach (var paper in papers)
            if (Features.References.UseOf(snapshot, paper.Key).Citations == 0) result.Add(paper);
        var order = snapshot.Libraries.WorkspaceLibraries.Select((path, i) => (path, i)).ToDictionary(x => x.path, x => x.i, StringComparer.Ordinal);
        return [.. result.OrderBy(p => order.GetValueOrDefault(p.Location.Path, int.MaxValue)).ThenBy(p => p.Location.Span.Start)];
    }
}
