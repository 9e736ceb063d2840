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
        var groups = new Dictionary<string, List<int>>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (!groups.TryGetValue(parts[i].Base, out var list)) groups[parts[i].Base] = list = [];
            list.Add(i);
        }
        foreach (var group in groups.Values)
        {
            if (group.Count == 1) continue;
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
        var byKey = new Dictionary<string, List<int>>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            keys[i] = parts[i].KeyWith(used[i]);
            if (!byKey.TryGetValue(keys[i], out var list)) byKey[keys[i]] = list = [];
            list.Add(i);
        }

        // What is still shared: papers whose titles agree on every word (after stopwords), keys that a BibTeX
        // or CSL entry already uses, and the rare run-together clash ("ab"+"c" against "abc"). These are
        // settled in a fixed order so the outcome does not depend on the order the papers came in.
        var clashes = byKey.Where(pair => pair.Value.Count > 1 || reserved.Contains(pair.Key))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ToList();
        if (clashes.Count == 0) return [.. keys];

        var taken = new HashSet<string>(reserved, StringComparer.Ordinal);
        foreach (var pair in byKey)
        {
            if (pair.Value.Count == 1 && !reserved.Contains(pair.Key)) taken.Add(pair.Key);
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
/// <see cref="Base"/> is name + year + first word; <see cref="Rest"/> are the words that may be added.
/// </summary>
internal sealed record KeyParts(string Name, string Year, string First, ImmutableArray<string> Rest)
{
    public string Base { get; } = Name + Year + First;

    public string KeyWith(int restWords)
    {
        if (restWords == 0) return Base;
        var builder = new StringBuilder(Base);
        for (var i = 0; i < restWords; i++) builder.Append(Rest[i]);
        return builder.ToString();
    }

    public static KeyParts Of(Paper paper)
    {
        var words = SignificantWords(paper.Title);
        var name = NameOf(paper);
        if (name.Length == 0)
        {
            // No name to go by: the first title word stands in for it, and the words after it follow the year.
            if (words.Count > 0)
            {
                name = words[0];
                words.RemoveAt(0);
            }
            else
            {
                name = PaperKeys.FallbackName;
            }
        }
        var year = paper.Year is { } y and >= 0 ? y.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        var first = words.Count > 0 ? words[0] : "";
        var rest = words.Count > 1 ? words.Skip(1).ToImmutableArray() : ImmutableArray<string>.Empty;
        return new KeyParts(name, year, first, rest);
    }

    /// <summary>
    /// The title's words without stopwords; a title made only of stopwords ("What Is It?") keeps them all, as
    /// they are all it has.
    /// </summary>
    internal static List<string> SignificantWords(string title)
    {
        var all = TextFold.Words(title);
        var significant = all.Where(w => !PaperKeys.Stopwords.Contains(w)).ToList();
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
            if (author.Family is { Length: > 0 } family) return string.Concat(TextFold.Words(family));
            if (author.Literal is { Length: > 0 } literal) return OrganisationName(literal);
            if (author.Given is { Length: > 0 } given) return string.Concat(TextFold.Words(given));
        }
        return paper.Organization is { Length: > 0 } organisation ? OrganisationName(organisation) : "";
    }

    private static string OrganisationName(string name)
    {
        var words = TextFold.Words(name);
        return words.Count >= 3 ? string.Concat(words.Select(w => w[0])) : string.Concat(words);
    }
}
