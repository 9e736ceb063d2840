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
        foreach (var word in WordsOf(folded)) into.Add(folded[word]);
        return into;
    }

    /// <summary>
    /// Where the words of folded text are, as <see cref="Words"/> cuts them: the one rule for queries and the
    /// search index alike, without a string per word.
    /// </summary>
    public static WordRanges WordsOf(ReadOnlySpan<char> folded) => new(folded);

    public ref struct WordRanges(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _at;

        public Range Current { get; private set; }

        public readonly WordRanges GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_at < _text.Length && !IsWordChar(_text[_at])) _at++;
            if (_at == _text.Length) return false;
            var start = _at;
            var digits = char.IsAsciiDigit(_text[_at]);
            while (_at < _text.Length && IsWordChar(_text[_at]) && char.IsAsciiDigit(_text[_at]) == digits) _at++;
            Current = start.._at;
            return true;
        }

        private static bool IsWordChar(char c) => char.IsAsciiDigit(c) || char.IsLetter(c);
    }
}
