using System.Text;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// A BibTeX title as pandoc's BibTeX reader hands it to citeproc, written as CSL-JSON rich text. pandoc
/// turns an English entry's title (no <c>langid</c> or <c>hyphenation</c>, or an English one) into sentence
/// case: a word written "Capitalised" is lowercased unless it starts the title or a sentence (after ". ",
/// "? ", "! ", ": "), and what braces protect (<c>{ACM}</c>, <c>{iPhone}</c>) is left as written. A
/// protected group that holds a lowercase word is marked <c>&lt;span class="nocase"&gt;</c>, so that a style
/// that title-cases (Chicago) leaves it alone too; one with none is plain text, as pandoc unmarks it. Math
/// (<c>$x^2$</c>) is its TeX without the dollars, left uncased, as pandoc prints it. A brace group that is
/// a command's argument (<c>\emph{Word}</c>, <c>\"{U}</c>) is not protection, as in pandoc.
/// </summary>
internal static class TitleMarkup
{
    private enum Kind : byte { Text, Protected, Math }

    private readonly record struct Segment(string Text, Kind Kind, bool SpaceBefore, bool SpaceAfter);

    /// <summary>The title's rich text; <paramref name="english"/> false gives the decoded text, uncased and unmarked.</summary>
    public static string Write(ReadOnlySpan<char> raw, bool english)
    {
        var segments = Split(LatexDecoder.Trim(raw));
        // The whole title as one string, with each character's kind, so that words and sentences are seen across segments.
        var text = new StringBuilder();
        var kinds = new List<Kind>();
        var starts = new List<int>();
        for (var i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            if (s.Text.Length == 0) continue;
            if (text.Length > 0 && (s.SpaceBefore || segments[i - 1].SpaceAfter) && text[^1] != ' ') { text.Append(' '); kinds.Add(Kind.Text); }
            starts.Add(text.Length);
            text.Append(s.Text);
            for (var k = 0; k < s.Text.Length; k++) kinds.Add(s.Kind);
        }
        var chars = text.ToString().ToCharArray();
        if (english) SentenceCase(chars, kinds);

        var sb = new StringBuilder(chars.Length + 16);
        var at = 0;
        while (at < chars.Length)
        {
            var kind = kinds[at];
            var end = at;
            while (end < chars.Length && kinds[end] == kind) end++;
            var run = new string(chars, at, end - at);
            // A lone ' is a closing quotation mark in LaTeX, as pandoc's LaTeX reader reads it ('back' is ’back’),
            // not a quotation citeproc would pair and turn into “back”. Math keeps its primes.
            if (kind != Kind.Math) run = run.Replace('\'', '’');
            var marked = english && (kind == Kind.Math || kind == Kind.Protected && HasLowercaseWord(run));
            if (marked) sb.Append("<span class=\"nocase\">").Append(run).Append("</span>");
            else sb.Append(run);
            at = end;
        }
        return sb.ToString();
    }

    /// <summary>Cuts the raw title at its brace groups and math.</summary>
    private static List<Segment> Split(ReadOnlySpan<char> raw)
    {
        var segments = new List<Segment>();
        Split(raw, Kind.Text, segments);
        return segments;
    }

    /// <summary>
    /// Cuts <paramref name="raw"/> into segments of <paramref name="kind"/>, its brace groups (protected, and
    /// cut the same way for the math they hold) and its math.
    /// </summary>
    private static void Split(ReadOnlySpan<char> raw, Kind kind, List<Segment> segments)
    {
        var start = 0;
        var i = 0;
        while (i < raw.Length)
        {
            var c = raw[i];
            if (c == '\\')
            {
                // A command and its brace arguments stay in the text around them: they are not protection. Of
                // the control symbols only accents take an argument (\"{U}); \{ and \_ are characters.
                i++;
                var takesArgument = true;
                if (i < raw.Length && char.IsAsciiLetter(raw[i])) while (i < raw.Length && char.IsAsciiLetter(raw[i])) i++;
                else
                {
                    takesArgument = i < raw.Length && raw[i] is '"' or '\'' or '`' or '^' or '~' or '=' or '.';
                    i++;
                }
                while (takesArgument)
                {
                    var j = i;
                    while (j < raw.Length && LatexDecoder.IsSpace(raw[j])) j++;
                    if (j >= raw.Length || raw[j] != '{') break;
                    i = GroupEnd(raw, j) + 1;
                }
                continue;
            }
            if (c == '{')
            {
                Flush(raw, start, i, kind, segments);
                var close = GroupEnd(raw, i);
                Split(raw[(i + 1)..Math.Min(close, raw.Length)], Kind.Protected, segments);
                i = start = Math.Min(close + 1, raw.Length);
                continue;
            }
            if (c == '$')
            {
                var display = i + 1 < raw.Length && raw[i + 1] == '$';
                var open = display ? 2 : 1;
                var j = i + open;
                while (j < raw.Length && !(raw[j] == '$' && (!display || j + 1 < raw.Length && raw[j + 1] == '$')))
                    j += raw[j] == '\\' ? 2 : 1;
                if (j < raw.Length)
                {
                    Flush(raw, start, i, kind, segments);
                    Flush(raw, i + open, j, Kind.Math, segments);
                    i = start = j + open;
                    continue;
                }
            }
            i++;
        }
        Flush(raw, start, raw.Length, kind, segments);
    }

    private static void Flush(ReadOnlySpan<char> raw, int from, int to, Kind kind, List<Segment> segments)
    {
        if (to <= from) return;
        var part = raw[from..to];
        var decoded = kind == Kind.Math ? new string(part) : LatexDecoder.Decode(part);
        segments.Add(new Segment(decoded, kind, LatexDecoder.IsSpace(part[0]) || part[0] == '~', LatexDecoder.IsSpace(part[^1]) || part[^1] == '~'));
    }

    private static int GroupEnd(ReadOnlySpan<char> raw, int open)
    {
        var depth = 0;
        for (var j = open; j < raw.Length; j++)
        {
            if (raw[j] == '\\') { j++; continue; }
            if (raw[j] == '{') depth++;
            else if (raw[j] == '}' && --depth == 0) return j;
        }
        return raw.Length;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is >= '\u0300' and <= '\u036F';

    /// <summary>Lowercases each unprotected "Capitalised" word that does not start the title or a sentence.</summary>
    private static void SentenceCase(char[] chars, List<Kind> kinds)
    {
        var sentenceStart = true;
        var i = 0;
        while (i < chars.Length)
        {
            if (!IsWordChar(chars[i]))
            {
                if (chars[i] is '.' or '?' or '!' or ':' && (i + 1 >= chars.Length || chars[i + 1] == ' ')) sentenceStart = true;
                i++;
                continue;
            }
            var end = i;
            while (end < chars.Length && IsWordChar(chars[end])) end++;
            // A word run on from a group or math ("{In}$_x$Ga") is part of it, as pandoc sees it.
            var runOn = i > 0 && kinds[i - 1] != Kind.Text;
            if (!sentenceStart && !runOn && kinds[i] == Kind.Text && IsCapitalised(chars, kinds, i, end)) chars[i] = char.ToLowerInvariant(chars[i]);
            sentenceStart = false;
            i = end;
        }
    }

    private static bool IsCapitalised(char[] chars, List<Kind> kinds, int start, int end)
    {
        if (!char.IsUpper(chars[start])) return false;
        for (var k = start + 1; k < end; k++)
        {
            if (kinds[k] != Kind.Text) return false;
            if (char.IsLetter(chars[k]) && !char.IsLower(chars[k]) || char.IsDigit(chars[k])) return false;
        }
        return true;
    }

    /// <summary>Whether some word of the text starts with a lowercase letter, the test pandoc keeps "nocase" by.</summary>
    private static bool HasLowercaseWord(string text)
    {
        var wordStart = true;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (wordStart && char.IsLower(c)) return true;
                wordStart = false;
            }
            else wordStart = char.IsPunctuation(c) || char.IsWhiteSpace(c) || char.IsSymbol(c);
        }
        return false;
    }

    /// <summary>Whether pandoc treats the entry as English: no language named, or an English one.</summary>
    public static bool IsEnglish(ReadOnlySpan<char> langid)
    {
        if (langid.IsEmpty) return true;
        foreach (var name in (ReadOnlySpan<string>)["english", "usenglish", "american", "british", "ukenglish", "canadian", "australian", "newzealand"])
        {
            if (langid.Equals(name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return langid.StartsWith("en", StringComparison.OrdinalIgnoreCase) && (langid.Length == 2 || langid[2] == '-');
    }
}
