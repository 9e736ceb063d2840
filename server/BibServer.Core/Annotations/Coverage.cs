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
        var uses = Features.CitationIndex.UsesOf(snapshot);
        var libraries = snapshot.Libraries.WorkspaceLibraries;
        var order = libraries.Select((path, i) => (path, i)).ToDictionary(x => x.path, x => x.i, StringComparer.Ordinal);
        // One bucket per library (and one for papers from anywhere else), each put in entry order.
        var buckets = new List<Paper>[libraries.Length + 1];
        foreach (var paper in snapshot.Libraries.Workspace.Papers)
        {
            if (uses.TryGetValue(paper.Key, out var use) && use.Citations > 0) continue;
            var b = order.TryGetValue(paper.Location.Path, out var i) ? i : libraries.Length;
            (buckets[b] ??= []).Add(paper);
        }
        var result = ImmutableArray.CreateBuilder<Paper>();
        foreach (var bucket in buckets)
        {
            if (bucket is null) continue;
            bucket.Sort((a, b) => a.Location.Span.Start.CompareTo(b.Location.Span.Start));
            result.AddRange(bucket);
        }
        return result.ToImmutable();
    }
}
