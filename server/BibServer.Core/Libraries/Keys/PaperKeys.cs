using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using BibServer.Core.Papers;

namespace BibServer.Core.Libraries.Keys;

/// <summary>
/// Makes citation keys for papers whose library names none (scraped paper lists). The scheme is written up in
/// docs/keys.md: name + year + first significant title word (<c>umar2025signal</c>), more title words only where
/// papers would otherwise share a key, and letters only when the words run out.
/// </summary>
public static class PaperKeys
{
    /// <summary>The name part used when a paper has no author, no organisation and no title word at all.</summary>
    internal const string FallbackName = "paper";

    /// <summary>
    /// Words that carry no meaning of their own in a title. Skipping them makes keys name what a paper is
    /// about: "The Role of Causal Features" gives <c>role</c>, not <c>the</c>.
    /// </summary>
    internal static readonly FrozenSet<string> Stopwords = FrozenSet.ToFrozenSet(
    [
        "a", "an", "the",
        "and", "or", "but", "nor", "yet", "so", "vs", "versus",
        "on", "of", "for", "in", "to", "via", "towards", "toward", "with", "without", "within", "by", "from",
        "at", "as", "into", "onto", "over", "under", "upon", "about", "between", "through", "beyond", "across",
        "against", "among", "after", "before", "than", "per",
        "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "can", "could", "should",
        "would", "will", "shall", "may", "might", "must", "has", "have", "had",
        "it", "its", "this", "that", "these", "those", "we", "our", "you", "your", "they", "their",
        "what", "when", "where", "which", "who", "whom", "why", "how", "not", "no",
    ], StringComparer.Ordinal);

    /// <summary>
    /// One key for each paper, in the order given. The result does not depend on that order: a paper's key
    /// depends only on the papers it would otherwise collide with. Keys in <paramref name="reserved"/> (the keys
    /// BibTeX and CSL entries already use) are never given out.
    /// </summary>
    public static ImmutableArray<string> Assign(IReadOnlyList<Paper> papers, IReadOnlySet<string>? reserved = null)
    {
        var parts = new KeyParts[papers.Count];
        for (var i = 0; i < papers.Count; i++) parts[i] = KeyParts.Of(papers[i]);
        return Assign(papers, parts, reserved ?? EmptySet);
    }

    /// <summary>The key a paper gets when no other paper competes for it, e.g. <c>umar2025signal</c>.</summary>
    public static string BaseKey(Paper paper) => KeyParts.Of(paper).Base;

    /// <summary>
    /// True when pandoc reads the whole text as one citation key: it starts with a letter, digit or <c>_</c>
    /// and goes on with letters, digits, <c>_</c>, or punctuation from <c>:.#$%&amp;-+?&lt;&gt;~/</c> that is
    /// followed by a letter, digit or <c>_</c> (punctuation may not end a key, nor come twice in a row).
    /// </summary>
    public static bool IsValidCitationKey(string key)
    {
        if (key.Length == 0 || !IsKeyWordChar(key[0])) return false;
        for (var i = 1; i < key.Length; i++)
        {
            var c = key[i];
            if (IsKeyWordChar(c)) continue;
            if (!IsKeyPunctuation(c)) return false;
            if (i + 1 >= key.Length || !IsKeyWordChar(key[i + 1])) return false;
        }
        return true;
    }

    private static bool IsKeyWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static bool IsKeyPunctuation(char c) => ":.#$%&-+?<>~/".Contains(c);

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    private static ImmutableArray<string> Assign(IReadOnlyList<Paper> papers, KeyParts[] parts, IReadOnlySet<string> reserved)
    {
        var count = parts.Length;
        var used = new int[count];

        // Papers compete only with papers of the same base key; each takes just enough further title words
        // that no competitor starts with the same words. A competitor's words matter only up to where they
        // differ, so sorting each group and looking at the neighbours finds every paper's need in n log n.
        var groups = GroupBy(count, i => parts[i].Base);
        foreach (var group in groups)
        {
            group.Sort((a, b) => CompareWords(parts[a].Rest, parts[b].Rest));

            // Papers whose words are all the same cannot be told apart by words; they take only the words that
            // tell them from the others and then letters, so two papers of one title get xa and xb, not
            // the whole title spelt out. Identical word lists sit next to each other after sorting.
            for (var s = 0; s < group.Count;)
            {
                var e = s;
                var rest = parts[group[s]].Rest;
                while (e + 1 < group.Count && CompareWords(rest, parts[group[e + 1]].Rest) == 0) e++;
                var shared = -1;
                if (s > 0) shared = Math.Max(shared, CommonPrefix(rest, parts[group[s - 1]].Rest));
                if (e + 1 < group.Count) shared = Math.Max(shared, CommonPrefix(rest, parts[group[e + 1]].Rest));
                var need = Math.Min(shared + 1, rest.Length);
                for (var t = s; t <= e; t++) used[group[t]] = need;
                s = e + 1;
            }
        }

        var keys = new string[count];
        for (var i = 0; i < count; i++) keys[i] = parts[i].KeyWith(used[i]);
        var sameKey = GroupBy(count, i => keys[i]);

        // What is still shared: papers whose titles agree on every word (after stopwords), keys that a BibTeX
        // or CSL entry already uses, and the rare run-together clash ("ab"+"c" against "abc"). These are
        // settled in a fixed order so the outcome does not depend on the order the papers came in.
        var clashes = new List<(string Key, List<int> Members)>();
        var clashing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var members in sameKey)
        {
            clashes.Add((keys[members[0]], members));
            clashing.Add(keys[members[0]]);
        }
        for (var i = 0; i < count; i++)
        {
            if (reserved.Contains(keys[i]) && clashing.Add(keys[i])) clashes.Add((keys[i], [i]));
        }
        if (clashes.Count == 0) return [.. keys];
        clashes.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));

        var taken = new HashSet<string>(reserved, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!clashing.Contains(key)) taken.Add(key);
        }
        foreach (var (key, members) in clashes)
        {
            if (members.Count == 1)
            {
                // A list paper whose key a source entry already uses: further title words first, as they
                // read better than a letter, then letters.
                var i = members[0];
                var k = used[i];
                while (k < parts[i].Rest.Length && taken.Contains(parts[i].KeyWith(k))) k++;
                var candidate = parts[i].KeyWith(k);
                keys[i] = taken.Contains(candidate) ? WithLetter(candidate, taken, 0) : candidate;
                taken.Add(keys[i]);
                continue;
            }
            members.Sort((a, b) => CompareForTies(papers[a], papers[b]));
            var next = 0;
            foreach (var i in members)
            {
                keys[i] = WithLetter(key, taken, next, out next);
                taken.Add(keys[i]);
            }
        }
        return [.. keys];
    }

    private static string WithLetter(string key, HashSet<string> taken, int start) => WithLetter(key, taken, start, out _);

    /// <summary>
    /// The indices that share a value with at least one other index, grouped, each group in index order.
    /// Most values are unique, so a value gets a list only once a second index has it.
    /// </summary>
    private static List<List<int>> GroupBy(int count, Func<int, string> value)
    {
        var first = new Dictionary<string, int>(count, StringComparer.Ordinal);
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var v = value(i);
            if (first.TryAdd(v, i)) continue;
            if (!groups.TryGetValue(v, out var list)) groups[v] = list = [first[v]];
            list.Add(i);
        }
        return [.. groups.Values];
    }

    /// <summary>The first of key+"a", key+"b", ..., key+"z", key+"aa", ... from <paramref name="start"/> on that is free.</summary>
    private static string WithLetter(string key, HashSet<string> taken, int start, out int next)
    {
        for (var n = start; ; n++)
        {
            var candidate = key + Letters(n);
            if (!taken.Contains(candidate))
            {
                next = n + 1;
                return candidate;
            }
        }
    }

    /// <summary>0 gives "a", 25 gives "z", 26 gives "aa": bijective base 26, so every number has its own letters.</summary>
    internal static string Letters(int n)
    {
        var builder = new StringBuilder();
        n++;
        while (n > 0)
        {
            n--;
            builder.Insert(0, (char)('a' + n % 26));
            n /= 26;
        }
        return builder.ToString();
    }

    /// <summary>
    /// The order in which papers that agree on every key word get their letters: by what they are (title as
    /// written, authors, venue, date), and by where they are only as a last resort.
    /// </summary>
    private static int CompareForTies(Paper a, Paper b)
    {
        var c = string.CompareOrdinal(a.Title, b.Title);
        if (c != 0) return c;
        c = string.CompareOrdinal(string.Join("; ", a.Authors.Select(p => p.Display)), string.Join("; ", b.Authors.Select(p => p.Display)));
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Organization, b.Organization);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Venue, b.Venue);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Date?.ToString(), b.Date?.ToString());
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Location.Path, b.Location.Path);
        return c != 0 ? c : a.Location.Span.Start.CompareTo(b.Location.Span.Start);
    }

    private static int CompareWords(ImmutableArray<string> a, ImmutableArray<string> b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }

    private static int CommonPrefix(ImmutableArray<string> a, ImmutableArray<string> b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        while (i < n && string.Equals(a[i], b[i], StringComparison.Ordinal)) i++;
        return i;
    }
}

/// <summary>
/// What a generated key is made of: the name part, the year (or nothing) and the significant title words.
/// <see cref="Base"/> is name + year + first word; <see cref="Rest"/> are the words that may be added. Most
/// papers share their base with no other, so the rest is only worked out when it is asked for.
/// </summary>
internal sealed class KeyParts
{
    private readonly string _title;
    private readonly int _consumed;
    private ImmutableArray<string>? _rest;

    private KeyParts(string name, string year, string first, string title, int consumed)
    {
        Name = name;
        Year = year;
        First = first;
        Base = name + year + first;
        _title = title;
        _consumed = consumed;
    }

    public string Name { get; }

    public string Year { get; }

    public string First { get; }

    public string Base { get; }

    /// <summary>The significant title words after those the base uses.</summary>
    public ImmutableArray<string> Rest => _rest ??= [.. SignificantWords(_title).Skip(_consumed)];

    public string KeyWith(int restWords)
    {
        if (restWords == 0) return Base;
        var builder = new StringBuilder(Base);
        var rest = Rest;
        for (var i = 0; i < restWords; i++) builder.Append(rest[i]);
        return builder.ToString();
    }

    public static KeyParts Of(Paper paper)
    {
        var name = NameOf(paper);
        var title = paper.Title;
        // Only the first one or two significant words are needed now; the title is read no further.
        string? w0 = null, w1 = null;
        foreach (var word in SignificantWordsLazily(title))
        {
            if (w0 is null) w0 = word;
            else
            {
                w1 = word;
                break;
            }
            if (name.Length > 0) break;
        }
        var consumed = 0;
        string first;
        if (name.Length == 0)
        {
            // No name to go by: the first title word stands in for it, and the words after it follow the year.
            name = w0 ?? PaperKeys.FallbackName;
            first = w1 ?? "";
            consumed = w0 is null ? 0 : w1 is null ? 1 : 2;
        }
        else
        {
            first = w0 ?? "";
            consumed = w0 is null ? 0 : 1;
        }
        var year = paper.Year is { } y and >= 0 ? y.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        return new KeyParts(name, year, first, title, consumed);
    }

    /// <summary>
    /// The significant words one by one: the title's words without stopwords, or, for a title made only of
    /// stopwords, all of them.
    /// </summary>
    private static IEnumerable<string> SignificantWordsLazily(string title)
    {
        var any = false;
        foreach (var word in TextFold.EnumerateWords(title))
        {
            if (PaperKeys.Stopwords.Contains(word)) continue;
            any = true;
            yield return word;
        }
        if (any) yield break;
        foreach (var word in TextFold.EnumerateWords(title)) yield return word;
    }

    /// <summary>
    /// The title's words without stopwords; a title made only of stopwords ("What Is It?") keeps them all, as
    /// they are all it has.
    /// </summary>
    internal static List<string> SignificantWords(string title)
    {
        var all = TextFold.Words(title);
        var significant = new List<string>(all.Count);
        foreach (var word in all)
        {
            if (!PaperKeys.Stopwords.Contains(word)) significant.Add(word);
        }
        return significant.Count > 0 ? significant : all;
    }

    /// <summary>
    /// The first author's family name, folded; or the organisation; or nothing. A long organisation name is
    /// cut to its initials ("Machine Intelligence Research Institute" gives <c>miri</c>) so keys stay short.
    /// </summary>
    internal static string NameOf(Paper paper)
    {
        foreach (var author in paper.Authors)
        {
            if (author.Family is { Length: > 0 } family) return NamePart(family);
            if (author.Literal is { Length: > 0 } literal) return OrganisationName(literal);
            if (author.Given is { Length: > 0 } given) return NamePart(given);
        }
        return paper.Organization is { Length: > 0 } organisation ? OrganisationName(organisation) : "";
    }

    /// <summary>A name's words run together: "van der Berg" gives <c>vanderberg</c>, "Müller" <c>muller</c>.</summary>
    private static string NamePart(string name) => string.Concat(TextFold.EnumerateWords(name));

    private static string OrganisationName(string name)
    {
        var words = TextFold.Words(name);
        return words.Count >= 3 ? string.Concat(words.Select(w => w[0])) : string.Concat(words);
    }
}
