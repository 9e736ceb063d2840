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

    /// <summary>Every key of a library merge folded once, with its character counts: a new broken key is compared with all of them, on a keystroke.</summary>
    private static readonly ConditionalWeakTable<LibrarySet, FoldedKeys> Folded = new();

    /// <summary>
    /// The folded keys of a library merge and how often each character occurs in each (letters and digits
    /// apart, everything else together). An edit changes those counts by at most two, so a key whose counts
    /// differ from the broken key's by more than twice the distance allowed is passed over without working
    /// out its distance: on 100,000 keys that leaves a few hundred to compare.
    /// </summary>
    private sealed class FoldedKeys
    {
        public const int Bins = 37;

        public FoldedKeys(LibrarySet set)
        {
            Keys = [.. set.Papers.Select(p => SearchText.Fold(p.Key))];
            Counts = new byte[Keys.Length * Bins];
            for (var i = 0; i < Keys.Length; i++) Count(Keys[i], Counts.AsSpan(i * Bins, Bins));
        }

        public string[] Keys { get; }

        public byte[] Counts { get; }

        public static void Count(string key, Span<byte> counts)
        {
            foreach (var c in key)
            {
                var bin = c is >= 'a' and <= 'z' ? c - 'a' : c is >= '0' and <= '9' ? 26 + c - '0' : Bins - 1;
                if (counts[bin] < byte.MaxValue) counts[bin]++;
            }
        }

        /// <summary>Whether the counts differ by more than <paramref name="limit"/> in all.</summary>
        public static bool DifferMore(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int limit)
        {
            var total = 0;
            for (var i = 0; i < Bins; i++)
            {
                total += Math.Abs(a[i] - b[i]);
                if (total > limit) return true;
            }
            return false;
        }
    }

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
        var keys = Folded.GetValue(set, s => new FoldedKeys(s));
        Span<byte> counts = stackalloc byte[FoldedKeys.Bins];
        counts.Clear();
        FoldedKeys.Count(folded, counts);
        for (var i = 0; i < keys.Keys.Length; i++)
        {
            if (Math.Abs(keys.Keys[i].Length - folded.Length) > maxDistance
                || FoldedKeys.DifferMore(counts, keys.Counts.AsSpan(i * FoldedKeys.Bins, FoldedKeys.Bins), 2 * maxDistance)) continue;
            var d = Distance(folded, keys.Keys[i], maxDistance);
            if (d <= maxDistance) near.Add(new Candidate(set.Papers[i].Key, d, 0));
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
