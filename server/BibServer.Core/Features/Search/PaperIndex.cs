using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using BibServer.Core.Libraries;
using BibServer.Core.Papers;

namespace BibServer.Core.Features.Search;

public enum SearchMode
{
    /// <summary>Every word of the query must match (completion, symbols): what a person types as they go.</summary>
    AllWords,

    /// <summary>The more query words match the better, and a word may be an acronym of title words ("snr"):
    /// for finding what a broken key meant.</summary>
    BestOverlap,
}

public readonly record struct SearchHit(Paper Paper, int Score);

/// <summary>
/// Finds papers by what a person remembers of them: key, author names, title words, year. A query word
/// matches when it can be cut into pieces that each begin a different word of the paper ("sgdnoise" is
/// "sgd" + "noise"). Built once per library merge and kept beside it; a search scores only the papers
/// that a prefix index says can match, so it stays fast on 100,000 papers.
/// </summary>
public sealed class PaperIndex
{
    private static readonly ConditionalWeakTable<LibrarySet, PaperIndex> Indexes = new();

    private readonly ImmutableArray<Paper> _papers;
    private readonly Entry[] _entries;
    private readonly Dictionary<ulong, int[]> _byPrefix;

    private enum Kind : byte { Key, FirstAuthor, Author, Year, Title, Organization }

    private sealed record Entry(string[] Words, Kind[] Kinds, short[] TitleOrder, string FoldedKey);

    private PaperIndex(ImmutableArray<Paper> papers)
    {
        _papers = papers;
        _entries = new Entry[papers.Length];
        var lists = new Dictionary<ulong, List<int>>();
        var words = new List<string>();
        for (var i = 0; i < papers.Length; i++)
        {
            var e = _entries[i] = MakeEntry(papers[i], words);
            foreach (var w in e.Words)
                for (var len = 1; len <= Math.Min(3, w.Length); len++)
                {
                    var code = PrefixCode(w.AsSpan(0, len));
                    if (!lists.TryGetValue(code, out var list)) lists[code] = list = new List<int>();
                    if (list.Count == 0 || list[^1] != i) list.Add(i);
                }
        }
        _byPrefix = lists.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }

    public static PaperIndex Of(LibrarySet set) => Indexes.GetValue(set, s => new PaperIndex(s.Papers));

    public int Count => _papers.Length;

    /// <summary>The best matches first, at most <paramref name="limit"/>; an empty query gives the papers in library order.</summary>
    public List<SearchHit> Search(string query, int limit, SearchMode mode = SearchMode.AllWords)
    {
        var tokens = SearchText.Words(query);
        var hits = new List<SearchHit>();
        if (tokens.Count == 0)
        {
            for (var i = 0; i < _papers.Length && hits.Count < limit; i++) hits.Add(new SearchHit(_papers[i], 0));
            return hits;
        }

        var foldedQuery = SearchText.Fold(query);
        foreach (var i in Candidates(tokens, mode))
        {
            var score = Score(_entries[i], tokens, foldedQuery, mode);
            if (score > 0) hits.Add(new SearchHit(_papers[i], score));
        }
        hits.Sort((a, b) =>
        {
            var c = b.Score.CompareTo(a.Score);
            if (c != 0) return c;
            c = (b.Paper.Year ?? 0).CompareTo(a.Paper.Year ?? 0);
            return c != 0 ? c : string.CompareOrdinal(a.Paper.Key, b.Paper.Key);
        });
        if (hits.Count > limit) hits.RemoveRange(limit, hits.Count - limit);
        return hits;
    }

    private IEnumerable<int> Candidates(List<string> tokens, SearchMode mode)
    {
        if (mode == SearchMode.AllWords)
        {
            // Every token must begin some word of the paper with its first (up to) three characters:
            // intersect those lists, smallest first.
            var lists = new List<int[]>();
            foreach (var t in tokens)
            {
                if (!_byPrefix.TryGetValue(PrefixCode(t.AsSpan(0, Math.Min(3, t.Length))), out var list)) return [];
                lists.Add(list);
            }
            lists.Sort((a, b) => a.Length.CompareTo(b.Length));
            IEnumerable<int> result = lists[0];
            foreach (var other in lists.Skip(1)) result = Intersect(result, other);
            return result;
        }

        // Overlap: a paper is a candidate when any token of three or more characters begins one of its
        // words, or when a short token (an acronym) and another token both do.
        var counts = new Dictionary<int, int>();
        foreach (var t in tokens)
        {
            var len = Math.Min(3, t.Length);
            if (!_byPrefix.TryGetValue(PrefixCode(t.AsSpan(0, len)), out var list)) continue;
            var weight = t.Length >= 3 && !t.All(char.IsAsciiDigit) ? 2 : 1;
            foreach (var i in list) counts[i] = counts.GetValueOrDefault(i) + weight;
        }
        return counts.Where(kv => kv.Value >= 2).Select(kv => kv.Key);
    }

    private static IEnumerable<int> Intersect(IEnumerable<int> a, int[] b)
    {
        var j = 0;
        foreach (var x in a)
        {
            while (j < b.Length && b[j] < x) j++;
            if (j == b.Length) yield break;
            if (b[j] == x) yield return x;
        }
    }

    private static int Score(Entry e, List<string> tokens, string foldedQuery, SearchMode mode)
    {
        var total = 0;
        var matched = 0;
        foreach (var t in tokens)
        {
            var s = MatchToken(t, e, 0, 0UL, -2, mode == SearchMode.BestOverlap);
            if (s < 0)
            {
                if (mode == SearchMode.AllWords) return 0;
                continue;
            }
            total += s;
            matched++;
        }
        if (matched == 0 || mode == SearchMode.BestOverlap && matched * 2 < tokens.Count) return 0;
        if (e.FoldedKey == foldedQuery) total += 1000;
        else if (e.FoldedKey.StartsWith(foldedQuery, StringComparison.Ordinal)) total += 100;
        return total;
    }

    /// <summary>
    /// The best score for covering <paramref name="t"/> from <paramref name="pos"/> with word prefixes of
    /// words not yet used, or -1. Pieces shorter than two characters are acronym letters, allowed only
    /// when asked for (and always for a last piece, which a person may still be typing).
    /// </summary>
    private static int MatchToken(string t, Entry e, int pos, ulong used, int lastTitleOrder, bool acronyms)
    {
        if (pos == t.Length) return 0;
        var best = -1;
        var words = e.Words;
        for (var w = 0; w < words.Length && w < 64; w++)
        {
            if ((used & (1UL << w)) != 0) continue;
            var word = words[w];
            if (word[0] != t[pos]) continue;
            var common = 1;
            while (common < word.Length && pos + common < t.Length && word[common] == t[pos + common]) common++;
            var minLen = acronyms || pos + common == t.Length ? 1 : Math.Min(2, word.Length);
            for (var len = common; len >= minLen; len--)
            {
                var rest = MatchToken(t, e, pos + len, used | (1UL << w), e.TitleOrder[w], acronyms);
                if (rest < 0) continue;
                var piece = len * 2 + (len == word.Length ? 4 : 0) + e.Kinds[w] switch
                {
                    Kind.Key => 3,
                    Kind.FirstAuthor => 4,
                    Kind.Year => 2,
                    _ => 0,
                };
                if (pos > 0) piece -= 3;
                if (e.TitleOrder[w] >= 0 && e.TitleOrder[w] == lastTitleOrder + 1) piece += 3;
                best = Math.Max(best, piece + rest);
                // A longer piece covering the same word is never worse, unless the rest cannot be matched.
                break;
            }
        }
        return best;
    }

    private static Entry MakeEntry(Paper p, List<string> scratch)
    {
        var words = new List<string>();
        var kinds = new List<Kind>();
        var order = new List<short>();
        void Add(string? text, Kind kind)
        {
            scratch.Clear();
            foreach (var w in SearchText.Words(text, scratch))
            {
                if (kind == Kind.Title && SearchText.IsStopword(w)) continue;
                if (words.Contains(w)) continue;
                words.Add(w);
                kinds.Add(kind);
                order.Add(kind == Kind.Title ? (short)order.Count(o => o >= 0) : (short)-1);
            }
        }
        Add(p.Key, Kind.Key);
        for (var a = 0; a < p.Authors.Length; a++)
            Add(p.Authors[a].Family ?? p.Authors[a].Literal, a == 0 ? Kind.FirstAuthor : Kind.Author);
        Add(p.Organization, Kind.Organization);
        if (p.Year is { } y) Add(y.ToString(), Kind.Year);
        Add(p.Title, Kind.Title);
        return new Entry(words.ToArray(), kinds.ToArray(), order.ToArray(), SearchText.Fold(p.Key));
    }

    private static ulong PrefixCode(ReadOnlySpan<char> prefix)
    {
        ulong code = (ulong)prefix.Length;
        foreach (var c in prefix) code = (code << 16) | c;
        return code;
    }
}
