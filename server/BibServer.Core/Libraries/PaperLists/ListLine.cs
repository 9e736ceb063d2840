using BibServer.Core.Text;

namespace BibServer.Core.Libraries.PaperLists;

/// <summary>
/// One line of a paper list: where it starts and ends, and where its content starts and ends once the spaces,
/// byte-order mark and line break around it are left out. <see cref="Number"/> counts from 0, like LSP.
/// </summary>
internal readonly record struct ListLine(int Number, int Start, int End, int ContentStart, int ContentEnd)
{
    public bool IsBlank => ContentStart >= ContentEnd;

    public TextSpan Content => TextSpan.FromBounds(ContentStart, ContentEnd);

    /// <summary>The content began with white space (the cards layout indents its topic line).</summary>
    public bool IsIndented => ContentStart > Start;

    public string Text(string text) => text.Substring(ContentStart, ContentEnd - ContentStart);

    /// <summary>
    /// Splits a text into lines at "\n", "\r\n" or a lone "\r", as <see cref="LineIndex"/> does, so line numbers
    /// agree with what the editor shows.
    /// </summary>
    public static ListLine[] Split(string text)
    {
        var lines = new List<ListLine>(Math.Max(16, text.Length / 60));
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var atEnd = i == text.Length;
            if (!atEnd && text[i] != '\n' && text[i] != '\r') continue;
            lines.Add(Make(text, lines.Count, start, i));
            if (atEnd) break;
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
            start = i + 1;
        }
        return [.. lines];
    }

    private static ListLine Make(string text, int number, int start, int end)
    {
        var contentStart = start;
        while (contentStart < end && IsSpace(text[contentStart])) contentStart++;
        var contentEnd = end;
        while (contentEnd > contentStart && IsSpace(text[contentEnd - 1])) contentEnd--;
        return new ListLine(number, start, end, contentStart, contentEnd);
    }

    /// <summary>
    /// White space for the purpose of trimming: what .NET calls white space (which includes the no-break space
    /// the cards layout puts before its topic), plus the byte-order mark and the zero-width space that web
    /// copies leave behind.
    /// </summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c == '\uFEFF' || c == '\u200B';
}
