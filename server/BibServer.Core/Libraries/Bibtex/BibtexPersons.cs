using System.Collections.Immutable;
using System.Text.RegularExpressions;
using BibServer.Core.Papers;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// BibTeX's name lists: names separated by "and" at brace depth 0, each in one of the forms
/// "First von Last", "von Last, First" or "von Last, Jr, First". A name that is one brace group
/// (<c>{World Health Organization}</c>) is an organisation and is not split.
/// </summary>
internal static partial class BibtexPersons
{
    /// <summary>
    /// How "and others" is kept: a literal person, so the list still says it is incomplete and a
    /// renderer can write "et al." where it meets it.
    /// </summary>
    public const string Others = "others";

    [ThreadStatic] private static List<Person>? t_people;

    public static ImmutableArray<Person> Parse(ReadOnlySpan<char> raw, DecodeCache? cache = null)
    {
        raw = LatexDecoder.Trim(raw);
        if (raw.IsEmpty) return ImmutableArray<Person>.Empty;
        var people = t_people ??= new List<Person>(8);
        people.Clear();
        var start = 0;
        while (start <= raw.Length)
        {
            var end = NextAnd(raw, start, out var next);
            var name = LatexDecoder.Trim(raw[start..end]);
            if (cache is not null && cache.TryGetPerson(name, out var known))
            {
                people.Add(known);
            }
            else if (ParseOne(name) is { } person)
            {
                people.Add(person);
                cache?.AddPerson(name, person);
            }
            if (next < 0) break;
            start = next;
        }
        var result = people.ToImmutableArray();
        people.Clear();
        return result;
    }

    /// <summary>The end of the name starting at <paramref name="start"/>, and where the next one starts (-1 at the end).</summary>
    private static int NextAnd(ReadOnlySpan<char> raw, int start, out int next)
    {
        var depth = 0;
        for (var i = start; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '{') depth++;
            else if (c == '}') { if (depth > 0) depth--; }
            else if (depth == 0 && IsSeparator(c) && i + 4 < raw.Length
                     && (raw[i + 1] | 0x20) == 'a' && (raw[i + 2] | 0x20) == 'n' && (raw[i + 3] | 0x20) == 'd'
                     && IsSeparator(raw[i + 4]))
            {
                next = i + 5;
                return i;
            }
        }
        next = -1;
        return raw.Length;
    }

    private static bool IsSeparator(char c) => LatexDecoder.IsSpace(c) || c == '~';

    private static Person? ParseOne(ReadOnlySpan<char> name)
    {
        // A trailing comma ("Curie, Marie,") would make an empty first-name part.
        while (!name.IsEmpty && name[^1] == ',') name = LatexDecoder.Trim(name[..^1]);
        if (name.IsEmpty) return null;
        if (name.Equals(Others, StringComparison.OrdinalIgnoreCase)) return Person.Organisation(Others);

        // Commas at depth 0 split the name into its parts.
        Span<int> commas = stackalloc int[2];
        var commaCount = 0;
        var depth = 0;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '{') depth++;
            else if (c == '}') { if (depth > 0) depth--; }
            else if (c == ',' && depth == 0)
            {
                if (commaCount < 2) commas[commaCount] = i;
                commaCount++;
            }
        }

        if (commaCount == 0)
        {
            if (IsOneGroup(name)) return Person.Organisation(LatexDecoder.Decode(name));
            return FirstVonLast(name);
        }

        var vonLast = LatexDecoder.Trim(name[..commas[0]]);
        ReadOnlySpan<char> first;
        ReadOnlySpan<char> jr = default;
        if (commaCount == 1)
        {
            first = name[(commas[0] + 1)..];
        }
        else
        {
            jr = LatexDecoder.Trim(name[(commas[0] + 1)..commas[1]]);
            first = name[(commas[1] + 1)..];
        }
        var family = LatexDecoder.Decode(vonLast);
        // The Person record has no suffix; "King, Jr." keeps it readable and sorted by the family name.
        if (!jr.IsEmpty) family = family + ", " + LatexDecoder.Decode(jr);
        var given = SpaceInitials(LatexDecoder.Decode(first));
        if (family.Length == 0) return given.Length == 0 ? null : new Person(given);
        return new Person(family, given.Length == 0 ? null : given) { DroppingParticle = Von(vonLast) };
    }

    /// <summary>
    /// The von part of a "von Last": its first words that start in lower case, up to the first that does not,
    /// and never the last word, which is the family name (biblatex's reading, which pandoc's BibTeX reader
    /// follows: "a. Hogg" is von "a." and Last "Hogg"). Null when there is none.
    /// </summary>
    private static string? Von(ReadOnlySpan<char> vonLast)
    {
        Span<Range> ranges = stackalloc Range[32];
        var count = Words(vonLast, ranges);
        var end = 0;
        while (end < count - 1 && StartsLowerCase(vonLast[ranges[end]])) end++;
        if (end == 0) return null;
        var von = LatexDecoder.Decode(vonLast[ranges[0].Start.Value..ranges[end - 1].End.Value]);
        return von.Length == 0 ? null : von;
    }

    /// <summary>
    /// "C.M." as "C. M.": pandoc's BibTeX reader puts a space between two initials that are single capitals
    /// joined by a period, so that citeproc reads them as two given names ("C.a.F." and "Yu.V." stay as written).
    /// </summary>
    private static string SpaceInitials(string given) =>
        given.Contains('.') ? RunTogetherInitials().Replace(given, ". ") : given;

    [GeneratedRegex(@"(?<=(?:^|[\s.])\p{Lu})\.(?=\p{Lu}(?![^\s.]))")]
    private static partial Regex RunTogetherInitials();

    /// <summary>"First von Last": the von part runs from the first to the last lower-case word before the last word.</summary>
    private static Person FirstVonLast(ReadOnlySpan<char> name)
    {
        Span<Range> words = stackalloc Range[32];
        var count = Words(name, words);
        if (count <= 1) return new Person(LatexDecoder.Decode(name));

        var vonStart = -1;
        var vonEnd = -1;
        for (var w = 0; w < count - 1; w++)
        {
            if (!StartsLowerCase(name[words[w]])) continue;
            if (vonStart < 0) vonStart = w;
            vonEnd = w;
        }
        int familyFrom;
        int givenTo;
        if (vonStart >= 0)
        {
            familyFrom = vonStart;
            givenTo = vonStart - 1;
        }
        else
        {
            familyFrom = count - 1;
            givenTo = count - 2;
        }
        var family = LatexDecoder.Decode(name[words[familyFrom].Start.Value..]);
        var von = vonStart >= 0 ? Von(name[words[familyFrom].Start.Value..]) : null;
        if (givenTo < 0) return new Person(family) { DroppingParticle = von };
        var given = SpaceInitials(LatexDecoder.Decode(name[..words[givenTo].End.Value]));
        return new Person(family, given.Length == 0 ? null : given) { DroppingParticle = von };
    }

    /// <summary>Splits at whitespace and ties at depth 0. Words past the buffer join the last one.</summary>
    private static int Words(ReadOnlySpan<char> name, Span<Range> words)
    {
        var count = 0;
        var depth = 0;
        var start = -1;
        for (var i = 0; i <= name.Length; i++)
        {
            var boundary = i == name.Length || (depth == 0 && IsSeparator(name[i]));
            if (i < name.Length)
            {
                if (name[i] == '{') depth++;
                else if (name[i] == '}' && depth > 0) depth--;
            }
            if (boundary)
            {
                if (start >= 0)
                {
                    if (count < words.Length) words[count++] = start..i;
                    else words[count - 1] = words[count - 1].Start..i;
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }
        return count;
    }

    /// <summary>
    /// BibTeX's test for a von word: its first letter at depth 0 is lower case. A brace group starting
    /// with a command (<c>{\"u}ber</c>) counts by the letter it accents; any other group is case-less,
    /// which BibTeX treats as not lower case.
    /// </summary>
    private static bool StartsLowerCase(ReadOnlySpan<char> word)
    {
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (c == '{')
            {
                if (i + 1 < word.Length && word[i + 1] == '\\') return FirstLetterAfterCommand(word, i + 2) is var l && char.IsLower(l);
                return false;
            }
            if (c == '\\') return FirstLetterAfterCommand(word, i + 1) is var l2 && char.IsLower(l2);
            if (char.IsLetter(c)) return char.IsLower(c);
        }
        return false;
    }

    private static char FirstLetterAfterCommand(ReadOnlySpan<char> word, int i)
    {
        // An accent (\"u, \'{e}) is followed by its letter; a letter command (\o, \ss, \l) is its own letter.
        if (i < word.Length && char.IsAsciiLetter(word[i])) return word[i];
        for (; i < word.Length; i++)
        {
            if (char.IsLetter(word[i])) return word[i];
        }
        return 'A';
    }

    /// <summary>True when the whole name is one brace group, like <c>{National Research Council}</c>.</summary>
    private static bool IsOneGroup(ReadOnlySpan<char> name)
    {
        if (name.Length < 2 || name[0] != '{' || name[^1] != '}') return false;
        var depth = 0;
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '{') depth++;
            else if (name[i] == '}' && --depth == 0 && i != name.Length - 1) return false;
        }
        return true;
    }
}
