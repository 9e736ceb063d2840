using System.Text;

namespace BibServer.Core.Libraries.Keys;

/// <summary>
/// Folds text to lower-case ASCII for keys and for telling titles apart. The build runs with invariant
/// globalisation, where <see cref="string.Normalize()"/> leaves accents in place, so the folding is done by
/// AnyAscii, which also transliterates non-Latin scripts instead of dropping them.
/// </summary>
internal static class TextFold
{
    /// <summary>Lower-case ASCII: "Müller" gives "muller", "Łukasz" gives "lukasz", "Straße" gives "strasse".</summary>
    public static string ToAsciiLower(string text)
    {
        var ascii = Ascii.IsValid(text) ? text : AnyAscii.Transliteration.Transliterate(text);
        return ascii.ToLowerInvariant();
    }

    /// <summary>
    /// The letters and digits of a title, folded, with everything else dropped, so that titles that differ only
    /// in case, accents, punctuation or spacing ("Pre-train" and "pretrain") compare equal.
    /// </summary>
    public static string TitleKey(string title)
    {
        var folded = Ascii.IsValid(title) ? title : AnyAscii.Transliteration.Transliterate(title);
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') builder.Append(c);
            else if (c is >= 'A' and <= 'Z') builder.Append((char)(c + ('a' - 'A')));
        }
        return builder.ToString();
    }

    /// <summary>
    /// The words of a text after folding: runs of ASCII letters and digits. Apostrophes join rather than split
    /// ("Model's" is one word, "models"), every other character separates ("Signal-to-Noise" is three words).
    /// </summary>
    public static List<string> Words(string text)
    {
        var folded = ToAsciiLower(text);
        var words = new List<string>();
        var current = new StringBuilder();
        // A hyphen next to a single letter joins rather than splits: "I-SHEEP", "t-SNE" and "GPT-4" are one
        // word each ("isheep", "tsne", "gpt4"), where "i" or "t" alone would make a key that says nothing.
        for (var i = 0; i < folded.Length; i++)
        {
            var c = folded[i];
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                current.Append(c);
                continue;
            }
            if (c == '\'') continue;
            if (current.Length == 0) continue;
            if (c == '-' && i + 1 < folded.Length && IsWordChar(folded[i + 1])
                && (current.Length == 1 || i + 2 >= folded.Length || !IsWordChar(folded[i + 2])))
            {
                continue;
            }
            words.Add(current.ToString());
            current.Clear();
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }

    private static bool IsWordChar(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}
