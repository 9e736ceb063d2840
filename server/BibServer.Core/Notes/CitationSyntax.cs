using System.Buffers;
using System.Globalization;
using System.Text;

namespace BibServer.Core.Notes;

/// <summary>
/// The character-level rules of pandoc's citation keys (pandoc 2.17, <c>citeKey</c> and
/// <c>simpleCiteIdentifier</c> in Text.Pandoc.Parsing), shared by the parser and the completion scanner
/// so that both agree on where a key starts and ends.
/// </summary>
internal static class CitationSyntax
{
    /// <summary>Punctuation allowed inside a key when a letter, digit or underscore follows it.</summary>
    public const string InternalPunctuation = ":.#$%&-+?<>~/";

    /// <summary>
    /// Haskell's <c>isAlphaNum</c>, which pandoc uses: letters (Lu, Ll, Lt, Lm, Lo) and numbers (Nd, Nl, No),
    /// on whole code points so that astral letters count and astral symbols (emoji) do not.
    /// </summary>
    public static bool IsAlphaNum(Rune rune)
    {
        if (rune.IsAscii) return char.IsAsciiLetterOrDigit((char)rune.Value);
        var category = Rune.GetUnicodeCategory(rune);
        return category <= UnicodeCategory.OtherLetter
            || category is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
    }

    /// <summary>Haskell's <c>isSpace</c>, which decides what a braced key may not contain.</summary>
    public static bool IsHaskellSpace(char c) =>
        c is ' ' or (>= '\t' and <= '\r') or '\u00A0'
        || (c > '\u0377' && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator);

    /// <summary>Reads the code point at <paramref name="index"/>; a lone surrogate reads as U+FFFD of length 1.</summary>
    public static bool TryRuneAt(string text, int index, int end, out Rune rune, out int length)
    {
        if (index >= end)
        {
            rune = default;
            length = 0;
            return false;
        }
        if (text[index] < '\u0080')
        {
            rune = new Rune(text[index]);
            length = 1;
            return true;
        }
        var status = Rune.DecodeFromUtf16(text.AsSpan(index, end - index), out rune, out length);
        if (status != OperationStatus.Done) length = Math.Max(1, length);
        return true;
    }

    /// <summary>Reads the code point that ends just before <paramref name="index"/>.</summary>
    public static bool TryRuneBefore(string text, int index, int start, out Rune rune, out int length)
    {
        if (index <= start)
        {
            rune = default;
            length = 0;
            return false;
        }
        var status = Rune.DecodeLastFromUtf16(text.AsSpan(start, index - start), out rune, out length);
        if (status != OperationStatus.Done) length = Math.Max(1, length);
        return true;
    }

    public static bool IsAlphaNumAt(string text, int index, int end) =>
        TryRuneAt(text, index, end, out var rune, out _) && IsAlphaNum(rune);

    /// <summary>A key's "regular" character: a letter, a digit or an underscore.</summary>
    private static bool IsRegularAt(string text, int index, int end, out int length)
    {
        if (!TryRuneAt(text, index, end, out var rune, out length)) return false;
        return rune.Value == '_' || IsAlphaNum(rune);
    }

    /// <summary>
    /// Scans an unbraced key starting right after the <c>@</c>: a letter, digit, <c>_</c> or <c>*</c>, then
    /// letters, digits and underscores, with single punctuation characters from
    /// <see cref="InternalPunctuation"/> only where a regular character follows (and <c>:</c> or <c>/</c>
    /// before a <c>/</c>, for URLs). Returns the end of the key, or <paramref name="start"/> when there is none.
    /// </summary>
    public static int ScanSimpleKey(string text, int start, int end)
    {
        if (!TryRuneAt(text, start, end, out var first, out var length)) return start;
        if (!(IsAlphaNum(first) || first.Value == '_' || first.Value == '*')) return start;
        var p = start + length;
        while (p < end)
        {
            if (IsRegularAt(text, p, end, out length))
            {
                p += length;
                continue;
            }
            var c = text[p];
            if (InternalPunctuation.Contains(c) && IsRegularAt(text, p + 1, end, out _))
            {
                p++;
                continue;
            }
            if ((c == ':' || c == '/') && p + 1 < end && text[p + 1] == '/')
            {
                p++;
                continue;
            }
            break;
        }
        return p;
    }

    /// <summary>
    /// Finds the closing brace of a braced key <c>{...}</c> opening at <paramref name="open"/>: braces nest,
    /// and no whitespace is allowed anywhere. Returns the index of the closing brace, or -1.
    /// </summary>
    public static int ScanBracedKey(string text, int open, int end)
    {
        var depth = 0;
        for (var p = open; p < end; p++)
        {
            var c = text[p];
            if (c == '{') depth++;
            else if (c == '}')
            {
                if (--depth == 0) return p;
            }
            else if (IsHaskellSpace(c)) return -1;
        }
        return -1;
    }

    /// <summary>
    /// True for Quarto cross-references (<c>@fig-x</c>, <c>@Tbl-x</c>, ...) and pandoc-crossref's
    /// (<c>@fig:x</c>, <c>@Sec:x</c>, ...): pandoc parses them as citations, but they name no paper.
    /// </summary>
    public static bool IsCrossReference(string key) => CrossReferences.IsCrossReference(key);

    /// <summary>
    /// Whether an <c>@</c> at <paramref name="at"/> directly follows a word as pandoc reads it (its
    /// <c>notAfterString</c> test), which makes <c>name@example.org</c> an e-mail address and not a citation.
    /// Pandoc tracks where its last "str" token ended: a run of letters and digits, possibly with single
    /// periods. A period run of a multiple of three is read as ellipses instead, which is not a word.
    /// Emphasis closers also count as a word end in pandoc; that case needs the parsed inline tree and is
    /// handled by the caller.
    /// </summary>
    public static bool FollowsWord(string text, int at, int start)
    {
        if (!TryRuneBefore(text, at, start, out var previous, out _)) return false;
        if (IsAlphaNum(previous)) return true;
        if (previous.Value != '.') return false;
        var dots = 0;
        var p = at;
        while (p > start && text[p - 1] == '.')
        {
            dots++;
            p--;
        }
        // An escaped first period is a literal character, not part of an ellipsis.
        if (IsEscaped(text, p, start)) dots--;
        return dots % 3 != 0;
    }

    /// <summary>True when the character at <paramref name="index"/> is preceded by an odd number of backslashes.</summary>
    public static bool IsEscaped(string text, int index, int start)
    {
        var backslashes = 0;
        for (var p = index - 1; p >= start && text[p] == '\\'; p--) backslashes++;
        return backslashes % 2 == 1;
    }
}
