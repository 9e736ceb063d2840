using System.Globalization;
using System.Text;

namespace BibServer.Core.Features.Search;

/// <summary>How search sees text: lower case, accents folded to ASCII, split into words of letters or of digits.</summary>
internal static class SearchText
{
    private static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "on", "in", "for", "to", "and", "or", "via", "with", "by", "from", "at", "as", "is", "are", "its", "into", "towards", "toward",
    };

    public static bool IsStopword(string word) => Stopwords.Contains(word);

    /// <summary>Lower-cases and folds accents to ASCII where a plain form exists (é -> e, ß -> ss); other letters stay.</summary>
    public static string Fold(string text)
    {
        var plain = true;
        foreach (var c in text)
            if (c >= 128 || char.IsAsciiLetterUpper(c)) { plain = false; break; }
        if (plain) return text;

        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (c < 128) { sb.Append(char.ToLowerInvariant(c)); continue; }
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(c switch
            {
                'ß' => "ss", 'æ' or 'Æ' => "ae", 'œ' or 'Œ' => "oe", 'ø' or 'Ø' => "o", 'ł' or 'Ł' => "l",
                'đ' or 'Đ' => "d", 'ı' => "i", 'þ' or 'Þ' => "th",
                _ => char.ToLowerInvariant(c).ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>The folded words of a text: runs of letters or runs of digits ("umar2025signal" gives umar, 2025, signal).</summary>
    public static List<string> Words(string? text, List<string>? into = null)
    {
        into ??= new List<string>();
        if (string.IsNullOrEmpty(text)) return into;
        var folded = Fold(text);
        var start = -1;
        var digits = false;
        for (var i = 0; i <= folded.Length; i++)
        {
            var c = i < folded.Length ? folded[i] : ' ';
            var isDigit = char.IsAsciiDigit(c);
            var isWordChar = isDigit || char.IsLetter(c);
            if (start >= 0 && (!isWordChar || isDigit != digits))
            {
                into.Add(folded[start..i]);
                start = -1;
            }
            if (start < 0 && isWordChar)
            {
                start = i;
                digits = isDigit;
            }
        }
        return into;
    }
}
