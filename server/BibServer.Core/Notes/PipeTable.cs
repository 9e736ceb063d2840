using System.Text.RegularExpressions;

namespace BibServer.Core.Notes;

/// <summary>
/// Markdig reads a pipe table's inline text in one piece and splits it at the pipes; pandoc splits each
/// row into cells first and reads every cell on its own. To read citations as pandoc does, a table's text
/// is split the same way: at each '|' that is not inside code, math, raw HTML or an escape.
/// </summary>
internal static partial class PipeTable
{
    /// <summary>True when the second line of the text is a pipe table's delimiter row (<c>|---|:--:|</c>).</summary>
    public static bool IsTable(string text, int start, int end)
    {
        var firstEnd = text.IndexOf('\n', start, end - start);
        if (firstEnd < 0 || text.IndexOf('|', start, firstEnd - start) < 0) return false;
        var secondStart = firstEnd + 1;
        var secondEnd = text.IndexOf('\n', secondStart, end - secondStart);
        if (secondEnd < 0) secondEnd = end;
        return DelimiterRow().IsMatch(text.AsSpan(secondStart, secondEnd - secondStart));
    }

    /// <summary>The cells of every row but the delimiter row, as ranges of the text.</summary>
    public static IEnumerable<(int Start, int End)> Cells(string text, int start, int end)
    {
        var lineStart = start;
        var lineNumber = 0;
        while (lineStart < end)
        {
            var lineEnd = text.IndexOf('\n', lineStart, end - lineStart);
            if (lineEnd < 0) lineEnd = end;
            if (lineNumber++ != 1)
            {
                foreach (var cell in RowCells(text, lineStart, lineEnd)) yield return cell;
            }
            lineStart = lineEnd + 1;
        }
    }

    private static IEnumerable<(int Start, int End)> RowCells(string text, int start, int end)
    {
        var cellStart = start;
        var p = start;
        while (p < end)
        {
            switch (text[p])
            {
                case '\\':
                    p += 2;
                    continue;
                case '`':
                    var run = 0;
                    while (p + run < end && text[p + run] == '`') run++;
                    var close = FindRun(text, p + run, end, '`', run);
                    p = close >= 0 ? close + run : p + run;
                    continue;
                case '$':
                    var closeMath = text.IndexOf('$', p + 1, end - p - 1);
                    p = closeMath >= 0 && p + 1 < end && !char.IsWhiteSpace(text[p + 1]) ? closeMath + 1 : p + 1;
                    continue;
                case '<':
                    var closeTag = text.IndexOf('>', p + 1, end - p - 1);
                    p = closeTag >= 0 && p + 1 < end && (char.IsAsciiLetter(text[p + 1]) || text[p + 1] is '/' or '!') ? closeTag + 1 : p + 1;
                    continue;
                case '|':
                    yield return (cellStart, p);
                    cellStart = p + 1;
                    break;
            }
            p++;
        }
        yield return (cellStart, end);
    }

    private static int FindRun(string text, int p, int end, char c, int length)
    {
        while (p < end)
        {
            if (text[p] != c)
            {
                p++;
                continue;
            }
            var run = 0;
            while (p + run < end && text[p + run] == c) run++;
            if (run == length) return p;
            p += run;
        }
        return -1;
    }

    [GeneratedRegex(@"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*\r?$")]
    private static partial Regex DelimiterRow();
}
