using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using BibServer.Core.Libraries;
using BibServer.Core.Workspace;

namespace BibServer.Core.Features.Search;

/// <summary>
/// The keys a person most likely meant when they wrote a key that no library has: keys a few edits away
/// (<c>umar2024signal</c> for <c>umar2025signal</c>), then papers whose author, year and title words the
/// key's words match (<c>snr-alignment</c>). Answers are kept per library merge, so a broken key costs
/// its search once, not on every keystroke.
/// </summary>
public static class ClosestKeys
{
    private static readonly ConditionalWeakTable<LibrarySet, ConcurrentDictionary<string, ImmutableArray<Candidate>>> Memo = new();

    private readonly record struct Candidate(string Key, int Distance, int WordScore);

    public static ImmutableArray<string> Find(NoteScope scope, string key, int count = 3)
    {
        var all = new List<Candidate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in scope.Layers)
            foreach (var c in InLayer(layer, key))
                if (seen.Add(c.Key)) all.Add(c);
        return all
            .OrderBy(c => c.Distance)
            .ThenByDescending(c => c.WordScore)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Key)
            .ToImmutableArray();
    }

    private static ImmutableArray<Candidate> InLayer(LibrarySet set, string key)
    {
        if (set.Papers.IsEmpty) return ImmutableArray<Candidate>.Empty;
        var memo = Memo.GetValue(set, _ => new ConcurrentDictionary<string, ImmutableArray<Candidate>>(StringComparer.Ordinal));
        return memo.GetOrAdd(key, k => Compute(set, k));
    }

    private static ImmutableArray<Candidate> Compute(LibrarySet set, string key)
    {
        const int Keep = 5;
        var folded = SearchText.Fold(key);
        var maxDistance = Math.Clamp(folded.Length / 4, 1, 3);
        var near = new List<Candidate>();
        foreach (var p in set.Papers)
        {
            var d = Distance(folded, SearchText.Fold(p.Key), maxDistance);
            if (d <= maxDistance) near.Add(new Candidate(p.Key, d, 0));
        }
        near.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : string.CompareOrdinal(a.Key, b.Key));
        if (near.Count > Keep) near.RemoveRange(Keep, near.Count - Keep);

        // Papers found by words get a distance past any edit distance, so near keys come first.
        foreach (var hit in PaperIndex.Of(set).Search(key, Keep, SearchMode.BestOverlap))
            if (near.All(c => c.Key != hit.Paper.Key))
                near.Add(new Candidate(hit.Paper.Key, maxDistance + 1, hit.Score));
        return near.ToImmutableArray();
    }

    /// <summary>
    /// Optimal-string-alignment distance (a swap of two neighbours is one edit), or max + 1 as soon as it
    /// is certain to exceed <paramref name="max"/>.
    /// </summary>
    internal static int Distance(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max) return max + 1;
        if (a.Length == 0 || b.Length == 0) return Math.Max(a.Length, b.Length);
        Span<int> prev2 = stackalloc int[b.Length + 1];
        Span<int> prev = stackalloc int[b.Length + 1];
        Span<int> cur = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            var rowMin = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.Min(v, prev2[j - 2] + 1);
                cur[j] = v;
                rowMin = Math.Min(rowMin, v);
            }
            if (rowMin > max) return max + 1;
            var t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.Length];
    }
}
