using System.Collections.Frozen;
using BibServer.Core.Text;

namespace BibServer.Core.Annotations;

/// <summary>
/// Splits a paragraph of a note into sentences. A sentence ends at <c>.</c>, <c>!</c> or <c>?</c> (with any
/// closing brackets, quotes or emphasis after it) followed by white space and then something that can start a
/// sentence: a capital, a digit, a citation, markup. Writers of surveys abbreviate all the time, so a period
/// after a known abbreviation (<c>et al.</c>, <c>e.g.</c>, <c>Fig.</c>, <c>p.</c>, ...) or an initial
/// (<c>A. Umar</c>) ends nothing; decimals have no space after their point; and nothing inside a citation
/// (<c>[see @a, p. 3]</c>) or a code span can end a sentence.
/// </summary>
public static class Sentences
{
    /// <summary>Words that end with a period without ending the sentence, lower-cased, without their final period.</summary>
    private static readonly FrozenSet<string> Abbreviations = new[]
    {
        "al", "et al", "e.g", "i.e", "cf", "c.f", "viz", "vs", "resp", "approx", "ca", "a.k.a", "w.r.t",
        "fig", "figs", "eq", "eqs", "eqn", "eqns", "sec", "secs", "ch", "chap", "tab", "tbl", "alg", "thm", "lem",
        "def", "prop", "cor", "app", "ref", "refs", "ex", "p", "pp", "l", "ll", "n", "no", "nos", "vol", "vols",
        "ed", "eds", "dr", "mr", "mrs", "ms", "prof", "jr", "sr", "st",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The sentences of <paramref name="range"/> in <paramref name="text"/>, trimmed, in order; no boundary
    /// falls inside any of <paramref name="unbreakable"/> (citations, code spans).
    /// </summary>
    public static List<TextSpan> Split(string text, TextSpan range, IReadOnlyList<TextSpan> unbreakable)
    {
        var result = new List<TextSpan>();
        var start = range.Start;
        var end = range.End;
        var next = 0;
        for (var i = range.Start; i < end; i++)
        {
            var c = text[i];
            if (c is not ('.' or '!' or '?')) continue;
            while (next < unbreakable.Count && unbreakable[next].End <= i) next++;
            if (next < unbreakable.Count && unbreakable[next].Start <= i) continue;
            // An ellipsis or "?!" ends where its last mark is.
            var j = i + 1;
            while (j < end && text[j] is '.' or '!' or '?') j++;
            while (j < end && text[j] is ')' or ']' or '"' or '\'' or '\u2019' or '\u201D' or '*' or '_') j++;
            if (j < end && !char.IsWhiteSpace(text[j])) continue;
            var k = j;
            while (k < end && char.IsWhiteSpace(text[k])) k++;
            if (k < end && !CanStartSentence(text[k])) continue;
            if (c == '.' && j == i + 1 && IsAbbreviation(text, i, range.Start)) continue;
            Add(result, text, start, j);
            start = k;
            i = k - 1;
        }
        Add(result, text, start, end);
        return result;
    }

    private static bool CanStartSentence(char c) =>
        char.IsUpper(c) || char.IsDigit(c) || c is '@' or '[' or '(' or '"' or '\'' or '\u201C' or '\u2018' or '*' or '_' or '`' or '<' or '$';

    /// <summary>Whether the period at <paramref name="dot"/> closes an abbreviation or an initial.</summary>
    private static bool IsAbbreviation(string text, int dot, int floor)
    {
        var s = dot;
        while (s > floor && (char.IsLetter(text[s - 1]) || text[s - 1] == '.' && s - 1 > floor && char.IsLetter(text[s - 2]))) s--;
        if (s == dot) return false;
        var word = text[s..dot];
        // A capital on its own is an initial: "A. H. Umar".
        if (word.Length == 1 && char.IsUpper(word[0])) return true;
        var lower = word.ToLowerInvariant();
        return Abbreviations.Contains(lower);
    }

    private static void Add(List<TextSpan> result, string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        if (end > start) result.Add(TextSpan.FromBounds(start, end));
    }
}
