using System.Collections.Frozen;
using System.Collections.Immutable;
using BibServer.Core.Papers;

namespace BibServer.Core.Libraries.PaperLists;

/// <summary>
/// What a line of a paper list looks like: an author list, an abstract, a venue. The layouts put fields in a
/// fixed order, so these tests only decide between the few fields that may stand at a given place.
/// </summary>
internal static class FieldShapes
{
    /// <summary>Lower-case name particles that may stand inside a name ("van der Berg", "de la Torre").</summary>
    private static readonly FrozenSet<string> Particles = FrozenSet.ToFrozenSet(
    [
        "van", "von", "der", "den", "de", "del", "della", "dei", "di", "da", "das", "dos", "do", "du", "la", "le",
        "les", "bin", "ibn", "al", "el", "ter", "ten", "zu", "y", "e", "st.",
    ], StringComparer.Ordinal);

    /// <summary>
    /// True for <c>Last, First, Last, First</c>: an even number of comma-separated parts, each a short name of
    /// capitalised words (particles and initials allowed), with no digits or sentence punctuation. A title
    /// such as "Plan, Attend, Generate: Planning for ..." fails on its colon and its odd number of parts.
    /// </summary>
    public static bool IsAuthorList(string line)
    {
        var parts = line.Split(',');
        if (parts.Length < 2 || parts.Length % 2 != 0) return false;
        foreach (var raw in parts)
        {
            var part = raw.Trim();
            if (!IsName(part)) return false;
        }
        return true;
    }

    private static bool IsName(string part)
    {
        if (part.Length == 0 || part.Length > 60) return false;
        var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 5) return false;
        var capitalised = 0;
        foreach (var word in words)
        {
            foreach (var c in word)
            {
                if (!(char.IsLetter(c) || c is '-' or '\'' or '.' or '\u2019')) return false;
            }
            if (char.IsUpper(word[0])) capitalised++;
            else if (!Particles.Contains(word)) return false;
        }
        return capitalised > 0;
    }

    /// <summary>
    /// True for a line that reads like an abstract rather than a title or a venue: long, or a whole sentence of
    /// a dozen words or more that ends with a full stop. Titles are short and rarely end with a full stop.
    /// </summary>
    public static bool IsAbstractLike(string line)
    {
        if (line.Length >= 200) return true;
        if (!line.EndsWith('.')) return false;
        var words = 1;
        foreach (var c in line) if (c == ' ') words++;
        return words >= 12;
    }

    /// <summary>
    /// True for a venue line of the cards layout ("arXiv.org Machine Learning", "#artificialintelligence"):
    /// short, not a sentence, not an author list.
    /// </summary>
    public static bool IsVenueLike(string line) =>
        line.Length <= 100 && !line.EndsWith('.') && !line.Contains(". ", StringComparison.Ordinal)
        && !IsAbstractLike(line) && !IsAuthorList(line);

    /// <summary>
    /// Reads <c>Last, First, Last, First</c> into people. An odd part at the end (a name given whole) becomes
    /// a family name alone, so no name is lost.
    /// </summary>
    public static ImmutableArray<Person> ParseAuthors(string line)
    {
        var parts = line.Split(',').Select(p => p.Trim()).ToList();
        var people = ImmutableArray.CreateBuilder<Person>(parts.Count / 2 + 1);
        for (var i = 0; i < parts.Count; i += 2)
        {
            var family = parts[i];
            var given = i + 1 < parts.Count ? parts[i + 1] : null;
            if (family.Length == 0 && string.IsNullOrEmpty(given)) continue;
            people.Add(new Person(family.Length > 0 ? family : null, string.IsNullOrEmpty(given) ? null : given));
        }
        return people.ToImmutable();
    }
}
