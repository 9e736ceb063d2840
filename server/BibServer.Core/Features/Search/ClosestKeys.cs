using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.Intrinsics;
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
    // Both are kept on the library merge they describe (LibrarySet.Memos), so they go when it goes.
    private static readonly MemoKey<ConcurrentDictionary<string, ImmutableArray<Candidate>>> Answers = new("closest keys");

    /// <summary>Every key of a library merge folded once, with its character counts: a new broken key is compared with all of them, on a keystroke.</summary>
    private static readonly MemoKey<FoldedKeys> Folded = new("folded keys");

    /// <summary>
    /// The folded keys of a library merge and how often each character occurs in each (letters and digits
    /// apart, everything else together). An edit changes those counts by at most two, so a key whose counts
    /// differ from the broken key's by more than twice the distance allowed is passed over without working
    /// out its distance: on 100,000 keys that leaves a few hundred to compare.
    /// </summary>
    private sealed class FoldedKeys
    {
        /// <summary>a-z, 0-9 and one for everything else, padded to three vectors of 16 bytes.</summary>
        public const int Bins = 48;

        public FoldedKeys(LibrarySet set)
        {
            // The search index has folded every key already, in the set's order.
            Keys = PaperIndex.Of(set).FoldedKeys;
            Lengths = [.. Keys.Select(k => k.Length)];
            Counts = new byte[Keys.Length * Bins];
            for (var i = 0; i < Keys.Length; i++) Count(Keys[i], Counts.AsSpan(i * Bins, Bins));
        }

        public string[] Keys { get; }

        /// <summary>The keys' lengths apart from the strings, so that the scan reads two arrays in order and no string it passes over.</summary>
        public int[] Lengths { get; }

        public byte[] Counts { get; }

        public static void Count(string key, Span<byte> counts)
        {
            foreach (var c in key)
            {
                var bin = c is >= 'a' and <= 'z' ? c - 'a' : c is >= '0' and <= '9' ? 26 + c - '0' : 36;
                if (counts[bin] < byte.MaxValue) counts[bin]++;
            }
        }

        /// <summary>How much two keys' counts differ in all, sixteen counts at a time.</summary>
        public static int Difference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        {
            var total = Vector128<ushort>.Zero;
            for (var i = 0; i < Bins; i += Vector128<byte>.Count)
            {
                var x = Vector128.Create(a.Slice(i, Vector128<byte>.Count));
                var y = Vector128.Create(b.Slice(i, Vector128<byte>.Count));
                var (lower, upper) = Vector128.Widen(Vector128.Max(x, y) - Vector128.Min(x, y));
                total += lower + upper;
            }
            return Vector128.Sum(total);
        }
    }

    private readonly record struct Candidate(string Key, int Distance, int WordScore);

    /// <summary>
    /// Makes a library merge ready for its first broken key ahead (its keys' character counts), where the
    /// merge is made: the first broken citation's diagnostic then does not wait for them.
    /// </summary>
    public static void Prepare(LibrarySet set)
    {
        if (!set.Papers.IsEmpty) set.Memos.Get(Folded, set, static s => new FoldedKeys(s));
    }

    /// <summary>Makes every library a note sees ready for its broken keys (the search index of each, and its keys' counts).</summary>
    public static void Prepare(NoteScope scope)
    {
        foreach (var layer in scope.Layers) Prepare(layer);
    }

    /// <summary>Below this many papers a library's search index is built in a few milliseconds, when first asked.</summary>
    private const int ReadyWithoutIndex = 4096;

    /// <summary>
    /// Whether the closest keys of a broken key in this scope are found without waiting for a search index to be
    /// built: every large library the note sees has been prepared (<see cref="Prepare(LibrarySet)"/>). The language
    /// server's first diagnostics after start-up do not wait for the index of a 100,000-paper library (half a
    /// second); it publishes them again once the index is there.
    /// </summary>
    public static bool IsReady(NoteScope scope)
    {
        foreach (var layer in scope.Layers)
            if (layer.Papers.Length >= ReadyWithoutIndex && layer.Memos.Find(Folded) is null) return false;
        return true;
    }

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
        var memo = set.Memos.Get(Answers, 0, static _ => new ConcurrentDictionary<string, ImmutableArray<Candidate>>(StringComparer.Ordinal));
        return memo.GetOrAdd(key, k => Compute(set, k));
    }

    private static ImmutableArray<Candidate> Compute(LibrarySet set, string key)
    {
        const int Keep = 5;
        var folded = SearchText.Fold(key);
        var maxDistance = Math.Clamp(folded.Length / 4, 1, 3);
        var near = new List<Candidate>();
        var keys = set.Memos.Get(Folded, set, static s => new FoldedKeys(s));
        Span<byte> counts = stackalloc byte[FoldedKeys.Bins];
        counts.Clear();
        FoldedKeys.Count(folded, counts);
        for (var i = 0; i < keys.Keys.Length; i++)
        {
            if (Math.Abs(keys.Lengths[i] - folded.Length) > maxDistance
                || FoldedKeys.Difference(counts, keys.Counts.AsSpan(i * FoldedKeys.Bins, FoldedKeys.Bins)) > 2 * maxDistance) continue;
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
