namespace BibServer.Core.Text;

/// <summary>A zero-based line and a UTF-16 column, the way LSP counts them.</summary>
public readonly record struct LinePosition(int Line, int Column)
{
    public override string ToString() => $"{Line + 1}:{Column + 1}";
}

/// <summary>
/// Converts offsets to line/column and back. Lines end at "\n", "\r\n" or a lone "\r", as LSP says.
/// Columns are UTF-16 code units, which is what .NET strings index, so no re-encoding is needed.
/// </summary>
public sealed class LineIndex
{
    private readonly int[] _lineStarts;

    public LineIndex(string text)
    {
        TextLength = text.Length;
        var starts = new List<int>(Math.Max(16, text.Length / 40)) { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                starts.Add(i + 1);
            }
            else if (c == '\n')
            {
                starts.Add(i + 1);
            }
        }
        _lineStarts = starts.ToArray();
    }

    private LineIndex(int[] lineStarts, int textLength)
    {
        _lineStarts = lineStarts;
        TextLength = textLength;
    }

    /// <summary>
    /// The lines of a text given as its UTF-8 bytes, with offsets and columns in UTF-16 as for the decoded text:
    /// what a library kept as bytes answers positions with (Libraries/LibraryDocument).
    /// </summary>
    public static LineIndex FromUtf8(ReadOnlySpan<byte> utf8)
    {
        var lines = new Utf8Lines();
        lines.Append(utf8);
        return lines.Build();
    }

    /// <summary>
    /// The lines of UTF-8 text handed in pieces (a file read a few megabytes at a time), as <see cref="FromUtf8"/>
    /// finds them in the whole: every piece but the last ends right after a line feed, so no "\r\n" and no
    /// character is split between two.
    /// </summary>
    public sealed class Utf8Lines
    {
        // In blocks of a fixed size, not a list that doubles: a 150 MB library has 1.5 million lines, and a growing
        // array of them left three times their size in garbage while the collector was held off.
        private const int BlockLength = 1 << 16;
        private readonly List<int[]> _full = [];
        private int[] _block = new int[BlockLength];
        private int _used;

        public Utf8Lines()
        {
            Add(0);
        }

        /// <summary>The text's length so far in UTF-16 code units: the offset the next piece starts at.</summary>
        public int Chars { get; private set; }

        /// <summary>How many lines have started so far (the line the next piece starts on is this minus one).</summary>
        public int Count => _full.Count * BlockLength + _used;

        private void Add(int start)
        {
            if (_used == BlockLength)
            {
                _full.Add(_block);
                _block = new int[BlockLength];
                _used = 0;
            }
            _block[_used++] = start;
        }

        public void Append(ReadOnlySpan<byte> utf8)
        {
            var chars = Chars;
            var at = 0;
            while (at < utf8.Length)
            {
                var found = utf8[at..].IndexOfAny((byte)'\r', (byte)'\n');
                if (found < 0) break;
                // Line breaks are ASCII, which ends any character before them: the count up to one is exact.
                chars += System.Text.Encoding.UTF8.GetCharCount(utf8.Slice(at, found));
                var i = at + found;
                if (utf8[i] == '\r' && i + 1 < utf8.Length && utf8[i + 1] == '\n')
                {
                    i++;
                    chars++;
                }
                chars++;
                at = i + 1;
                Add(chars);
            }
            Chars = chars + System.Text.Encoding.UTF8.GetCharCount(utf8[at..]);
        }

        public LineIndex Build()
        {
            var starts = new int[Count];
            for (var b = 0; b < _full.Count; b++) _full[b].CopyTo(starts, b * BlockLength);
            _block.AsSpan(0, _used).CopyTo(starts.AsSpan(_full.Count * BlockLength));
            return new LineIndex(starts, Chars);
        }
    }

    public int TextLength { get; }

    public int LineCount => _lineStarts.Length;

    public int LineStart(int line) => _lineStarts[Math.Clamp(line, 0, _lineStarts.Length - 1)];

    public LinePosition GetPosition(int offset)
    {
        offset = Math.Clamp(offset, 0, TextLength);
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return new LinePosition(line, offset - _lineStarts[line]);
    }

    /// <summary>The offset of a position, or null when the position lies outside the text.</summary>
    public int? TryGetOffset(LinePosition position)
    {
        if (position.Line < 0 || position.Column < 0 || position.Line >= _lineStarts.Length) return null;
        var start = _lineStarts[position.Line];
        var lineEnd = position.Line + 1 < _lineStarts.Length ? _lineStarts[position.Line + 1] : TextLength;
        var offset = start + position.Column;
        return offset <= lineEnd ? offset : null;
    }

    /// <summary>The offset of a position, clamped into the text (for edits, which LSP lets run past a line's end).</summary>
    public int GetOffsetClamped(LinePosition position)
    {
        if (position.Line < 0) return 0;
        if (position.Line >= _lineStarts.Length) return TextLength;
        var start = _lineStarts[position.Line];
        var lineEnd = position.Line + 1 < _lineStarts.Length ? _lineStarts[position.Line + 1] : TextLength;
        return Math.Min(start + Math.Max(0, position.Column), lineEnd);
    }

    /// <summary>
    /// The index of a text whose line starts are known (ascending, the first 0): a library read from the cache
    /// knows where its file's lines start without holding the file's text.
    /// </summary>
    public static LineIndex FromLineStarts(int[] lineStarts, int textLength) => new(textLength, lineStarts.Length == 0 ? [0] : lineStarts);

    private LineIndex(int textLength, int[] lineStarts)
    {
        _lineStarts = lineStarts;
        TextLength = textLength;
    }

    /// <summary>Where each line starts, in order (for the library cache, which stores them).</summary>
    public ReadOnlySpan<int> LineStarts => _lineStarts;
}
