using BibServer.Core.Text;

namespace BibServer.Core.Notes;

/// <summary>
/// Where a citation key is being typed.
/// </summary>
/// <param name="KeySpan">
/// The whole key under the cursor, which a chosen completion replaces (without the <c>@</c> and braces);
/// empty, at the cursor, when nothing is typed yet.
/// </param>
/// <param name="Typed">The part of the key before the cursor, to filter completions by.</param>
/// <param name="IsBracketed">Whether the key is inside <c>[...]</c> on its line (a parenthetical citation).</param>
/// <param name="IsBraced">Whether the key is written <c>@{...}</c>, where any character but a space may follow.</param>
/// <param name="NeedsAt">
/// True after a <c>;</c> in a group where no <c>@</c> is typed yet: the completion must insert <c>@key</c>.
/// </param>
public sealed record CompletionContext(TextSpan KeySpan, string Typed, bool IsBracketed, bool IsBraced, bool NeedsAt);

/// <summary>
/// Decides whether the cursor is where a citation key is being typed. Works on raw text, because
/// half-typed citations (<c>[@umar</c> with no closing bracket) are not citations to any parser. It is a
/// small scanner over the cursor's line, plus one pass over the lines above it to know whether the cursor
/// is inside a fenced code block: that pass costs microseconds even for long notes, and keeps this helper
/// independent of a parse that may be a keystroke old. Code spans are recognised on the cursor's line only.
/// Indented code blocks and HTML comments are not recognised (telling an indented code block from a list
/// item's continuation needs the whole block structure), so completion is offered there.
/// </summary>
public static class CitationContext
{
    public static CompletionContext? At(string text, int offset)
    {
        if (offset < 0 || offset > text.Length) return null;
        var lineStart = LineStartOf(text, offset);
        var lineEnd = LineEndOf(text, offset);
        if (IsInFencedCode(text, lineStart)) return null;
        if (IsInCodeSpan(text, lineStart, lineEnd, offset)) return null;

        return AfterSemicolon(text, lineStart, offset)
            ?? InBracedKey(text, lineStart, lineEnd, offset)
            ?? InSimpleKey(text, lineStart, lineEnd, offset);
    }

    // "@umar|", "[@umar|20", "[-@|", "see @|": the cursor is on or right after a key's characters.
    private static CompletionContext? InSimpleKey(string text, int lineStart, int lineEnd, int offset)
    {
        var keyStart = offset;
        while (CitationSyntax.TryRuneBefore(text, keyStart, lineStart, out var rune, out var length)
               && IsKeyCharacter(rune))
        {
            keyStart -= length;
        }
        var at = keyStart - 1;
        if (at < lineStart || text[at] != '@' || !MayStartCitation(text, lineStart, at)) return null;
        // The key under the cursor runs on as far as pandoc would read it; a typed part that pandoc would
        // end earlier ("@doe." while typing "@doe.2020") is still all replaced.
        var keyEnd = Math.Max(offset, CitationSyntax.ScanSimpleKey(text, keyStart, lineEnd));
        return new CompletionContext(TextSpan.FromBounds(keyStart, keyEnd), text[keyStart..offset],
            IsBracketed(text, lineStart, at), false, false);
    }

    // "@{10.1000/x|": any non-space character up to the closing brace.
    private static CompletionContext? InBracedKey(string text, int lineStart, int lineEnd, int offset)
    {
        var keyStart = offset;
        while (keyStart > lineStart && !CitationSyntax.IsHaskellSpace(text[keyStart - 1]) && text[keyStart - 1] is not ('{' or '}' or '@'))
        {
            keyStart--;
        }
        if (keyStart - 2 < lineStart || text[keyStart - 1] != '{' || text[keyStart - 2] != '@') return null;
        var at = keyStart - 2;
        if (!MayStartCitation(text, lineStart, at)) return null;
        var keyEnd = offset;
        while (keyEnd < lineEnd && !CitationSyntax.IsHaskellSpace(text[keyEnd]) && text[keyEnd] is not ('{' or '}')) keyEnd++;
        return new CompletionContext(TextSpan.FromBounds(keyStart, keyEnd), text[keyStart..offset],
            IsBracketed(text, lineStart, at), true, false);
    }

    // "[@a; |" or "[@a;|": a new item of a group, before its '@' is typed.
    private static CompletionContext? AfterSemicolon(string text, int lineStart, int offset)
    {
        var p = offset;
        while (p > lineStart && text[p - 1] is ' ' or '\t') p--;
        if (p == lineStart || text[p - 1] != ';') return null;
        var open = UnclosedBracket(text, lineStart, p - 1);
        if (open < 0 || text.IndexOf('@', open, p - 1 - open) < 0) return null;
        return new CompletionContext(new TextSpan(offset, 0), "", true, false, true);
    }

    private static bool IsKeyCharacter(System.Text.Rune rune) =>
        CitationSyntax.IsAlphaNum(rune) || rune.Value is '_' or '*'
        || (rune.IsAscii && CitationSyntax.InternalPunctuation.Contains((char)rune.Value));

    // An '@' starts a citation at the start of a line or after anything but a word (so not in an e-mail
    // address), and not when escaped.
    private static bool MayStartCitation(string text, int lineStart, int at) =>
        !CitationSyntax.IsEscaped(text, at, lineStart) && !CitationSyntax.FollowsWord(text, at, lineStart);

    private static bool IsBracketed(string text, int lineStart, int at) => UnclosedBracket(text, lineStart, at) >= 0;

    // The '[' before position p on its line that no ']' closes before p, or -1.
    private static int UnclosedBracket(string text, int lineStart, int p)
    {
        var depth = 0;
        for (var q = p - 1; q >= lineStart; q--)
        {
            if (CitationSyntax.IsEscaped(text, q, lineStart)) continue;
            if (text[q] == ']') depth++;
            else if (text[q] == '[')
            {
                if (depth == 0) return q;
                depth--;
            }
        }
        return -1;
    }

    private static int LineStartOf(string text, int offset)
    {
        var previous = text.AsSpan(0, offset).LastIndexOfAny('\n', '\r');
        return previous + 1;
    }

    private static int LineEndOf(string text, int offset)
    {
        var next = text.AsSpan(offset).IndexOfAny('\n', '\r');
        return next < 0 ? text.Length : offset + next;
    }

    // A code span on the line: a run of n backticks up to the next run of exactly n (CommonMark's rule).
    private static bool IsInCodeSpan(string text, int lineStart, int lineEnd, int offset)
    {
        var p = lineStart;
        while (p < lineEnd)
        {
            if (text[p] == '\\')
            {
                p += 2;
                continue;
            }
            if (text[p] != '`')
            {
                p++;
                continue;
            }
            var run = Run(text, p, lineEnd, '`');
            var contentStart = p + run;
            var q = contentStart;
            var closed = -1;
            while (q < lineEnd)
            {
                if (text[q] == '`')
                {
                    var closing = Run(text, q, lineEnd, '`');
                    if (closing == run)
                    {
                        closed = q;
                        break;
                    }
                    q += closing;
                }
                else
                {
                    q++;
                }
            }
            if (closed < 0)
            {
                p = contentStart;
                continue;
            }
            if (offset >= contentStart && offset <= closed) return true;
            p = closed + run;
        }
        return false;
    }

    // Fenced code blocks (``` or ~~~, at most three spaces of indentation, closed by a fence of the same
    // character at least as long) from the top of the note down to the cursor's line.
    private static bool IsInFencedCode(string text, int cursorLineStart)
    {
        var inFence = false;
        var fenceChar = '\0';
        var fenceLength = 0;
        var p = 0;
        while (p < cursorLineStart)
        {
            var lineEnd = LineEndOf(text, p);
            var q = p;
            var indent = 0;
            while (q < lineEnd && text[q] == ' ' && indent < 4)
            {
                q++;
                indent++;
            }
            if (indent < 4 && q < lineEnd && text[q] is '`' or '~')
            {
                var c = text[q];
                var run = Run(text, q, lineEnd, c);
                if (run >= 3)
                {
                    var rest = text.AsSpan(q + run, lineEnd - q - run);
                    if (!inFence)
                    {
                        if (c == '~' || !rest.Contains('`'))
                        {
                            inFence = true;
                            fenceChar = c;
                            fenceLength = run;
                        }
                    }
                    else if (c == fenceChar && run >= fenceLength && rest.Trim().IsEmpty)
                    {
                        inFence = false;
                    }
                }
            }
            p = lineEnd;
            if (p < text.Length && text[p] == '\r') p++;
            if (p < text.Length && text[p] == '\n') p++;
        }
        return inFence;
    }

    private static int Run(string text, int p, int end, char c)
    {
        var q = p;
        while (q < end && text[q] == c) q++;
        return q - p;
    }
}
