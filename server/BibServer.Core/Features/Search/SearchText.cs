namespace BibServer.Core.Features.Search;

/// <summary>How search sees text: lower case, accents folded to ASCII, split into words of letters or of digits.</summary>
internal static class SearchText
{
    private static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "on", "in", "for", "to", "and", "or", "via", "with", "by", "from", "at", "as", "is", "are", "its", "into", "towards", "toward",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StopwordSpans = Stopwords.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool IsStopword(ReadOnlySpan<char> word) => StopwordSpans.Contains(word);

    /// <summary>Lower case, accents and other scripts folded to ASCII (é -> e, ß -> ss), as generated keys are.</summary>
    public static string Fold(string text)
    {
        var ascii = Libraries.Keys.TextFold.ToAscii(text);
        foreach (var c in ascii)
            if (char.IsAsciiLetterUpper(c)) return ascii.ToLowerInvariant();
        return ascii;
    }

    /// <summary>The text folded as <see cref="Fold(string)"/> does, into a buffer kept by the caller (grown when short).</summary>
    public static ReadOnlySpan<char> Fold(string text, ref char[] buffer)
    {
        var ascii = Libraries.Keys.TextFold.ToAscii(text);
        if (buffer.Length < ascii.Length) buffer = new char[Math.Max(ascii.Length, 2 * buffer.Length)];
        return System.Text.Ascii.ToLower(ascii, buffer, out var written) == System.Buffers.OperationStatus.Done
            ? buffer.AsSpan(0, written)
            : Fold(text).AsSpan();
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
