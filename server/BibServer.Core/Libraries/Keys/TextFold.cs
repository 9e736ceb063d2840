using System.Text;

namespace BibServer.Core.Libraries.Keys;

/// <summary>
/// Folds text to lower-case ASCII for keys and for telling titles apart. The build runs with invariant
/// globalisation, where <see cref="string.Normalize()"/> leaves accents in place, so the folding is done by
/// AnyAscii, which also transliterates non-Latin scripts instead of dropping them.
/// </summary>
internal static class TextFold
{
    /// <summary>
    /// The text in ASCII: "Müller" gives "Muller", "Łukasz" gives "Lukasz", "Straße" gives "Strasse". AnyAscii maps each code point on its own, so only the characters outside ASCII go
    /// through it, one by one and remembered: a merge folds every title of every library, and most of their
    /// characters are plain ASCII already.
    /// </summary>
    public static string ToAscii(string text)
    {
        if (Ascii.IsValid(text)) return text;
        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80)
            {
                builder.Append(c);
                continue;
            }
            int codePoint = c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                continue;
            }
            builder.Append(Folded.GetOrAdd(codePoint, static cp => AnyAscii.Transliteration.Transliterate(char.ConvertFromUtf32(cp))));
        }
        return builder.ToString();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> Folded = new();

    /// <summary>
    /// The letters and digits of a title, folded, with everything else dropped, so that titles that differ only
    /// in case, accents, punctuation or spacing ("Pre-train" and "pretrain") compare equal.
    /// </summary>
    public static string TitleKey(string title)
    {
        var folded = ToAscii(title);
        var buffer = folded.Length <= 512 ? stackalloc char[folded.Length] : new char[folded.Length];
        var n = 0;
        foreach (var c in folded)
        {
            var lower = Lower(c);
            if (IsWordChar(lower)) buffer[n++] = lower;
        }
        return new string(buffer[..n]);
    }

    /// <summary>
    /// The words of a text after folding: runs of ASCII letters and digits. Apostrophes join rather than split
    /// ("Model's" is one word, "models"), every other character separates ("Signal-to-Noise" is three words).
    /// </summary>
    public static List<string> Words(string text) => [.. EnumerateWords(text)];

    /// <summary>The words of <see cref="Words"/>, one at a time, so a caller that needs only the first reads no further.</summary>
    public static IEnumerable<string> EnumerateWords(string text)
    {
        var folded = ToAscii(text);
        var start = -1;
        char[]? joined = null;
        var joinedLength = 0;
        // A hyphen next to a single letter joins rather than splits: "I-SHEEP", "t-SNE" and "GPT-4" are one
        // word each ("isheep", "tsne", "gpt4"), where "i" or "t" alone would make a key that says nothing.
        // Apostrophes join too ("Model's" is "models"). Joined words are copied; plain ones are cut out.
        for (var i = 0; i <= folded.Length; i++)
        {
            var c = i < folded.Length ? Lower(folded[i]) : ' ';
            if (IsWordChar(c))
            {
                if (start < 0) start = i;
                if (joined is not null) joined[joinedLength++] = c;
                continue;
            }
            if (start < 0) continue;
            var length = joined is not null ? joinedLength : i - start;
            var isJoin = c == '\''
                || (c == '-' && i + 1 < folded.Length && IsWordChar(Lower(folded[i + 1]))
                    && (length == 1 || i + 2 >= folded.Length || !IsWordChar(Lower(folded[i + 2]))));
            if (isJoin && i + 1 < folded.Length && IsWordChar(Lower(folded[i + 1])))
            {
                if (joined is null)
                {
                    joined = new char[folded.Length];
                    for (var k = start; k < i; k++) joined[joinedLength++] = Lower(folded[k]);
                }
                continue;
            }
            yield return joined is not null ? new string(joined, 0, joinedLength) : Slice(folded, start, i);
            start = -1;
            joined = null;
            joinedLength = 0;
        }
    }

    /// <summary>A word cut out of the folded text, lower-cased (the text may have capitals).</summary>
    private static string Slice(string folded, int start, int end)
    {
        return string.Create(end - start, (folded, start), static (span, state) =>
        {
            for (var k = 0; k < span.Length; k++) span[k] = Lower(state.folded[state.start + k]);
        });
    }

    private static char Lower(char c) => c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;

    private static bool IsWordChar(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}
