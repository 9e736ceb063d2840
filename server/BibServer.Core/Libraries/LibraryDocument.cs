using System.Collections.Immutable;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries;

/// <summary>
/// One library file, read: its papers in file order and the problems found, with spans (UTF-16) into
/// <see cref="Text"/> (empty for a binary format; decoded from <see cref="Utf8"/> when asked, for a text format read
/// from its bytes). Reading never throws; what could not be read is a problem and the rest is kept.
/// </summary>
public sealed record LibraryDocument(
    string Path,
    LibraryFormat Format,
    string Text,
    ImmutableArray<Paper> Papers,
    ImmutableArray<Problem> Problems)
{
    private LineIndex? _lines;
    private readonly string? _text = Text;

    /// <summary>
    /// The file's text. A library read from its UTF-8 bytes (<see cref="Utf8"/>; a BibTeX file on disk) keeps
    /// no string of it: its text is decoded from the bytes each time it is asked for, which only an edit of the
    /// file itself does (rename); what is asked often (lines, length, the end) is answered from the bytes.
    /// </summary>
    public string Text
    {
        get => _text ?? (Utf8 is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes.Span) : "");
        init => _text = value;
    }

    /// <summary>The file's UTF-8 bytes (after any byte order mark) when the document was read from them and keeps no string; else null.</summary>
    public ReadOnlyMemory<byte>? Utf8 { get; init; }

    public LineIndex Lines => _lines ??= _text is null && Utf8 is { } bytes ? LineIndex.FromUtf8(bytes.Span) : new LineIndex(Text);

    /// <summary>The length of <see cref="Text"/> in UTF-16 code units.</summary>
    public int TextLength => _text?.Length ?? Lines.TextLength;

    /// <summary>The last <paramref name="count"/> characters of <see cref="Text"/> (fewer in a shorter text): what appending to the file needs.</summary>
    public string Tail(int count)
    {
        if (_text is not null || Utf8 is not { } utf8) return Text.Length <= count ? Text : Text[^count..];
        var bytes = utf8.Span;
        // A character is at most four bytes; a slice that starts inside one starts at the next.
        var start = Math.Max(0, bytes.Length - 4 * count);
        while (start < bytes.Length && start > 0 && (bytes[start] & 0xC0) == 0x80) start++;
        var end = System.Text.Encoding.UTF8.GetString(bytes[start..]);
        return end.Length <= count ? end : end[^count..];
    }

    /// <summary>
    /// What the reader found besides papers, in a few words for the library statistics ("18 attachments and 2
    /// notes (not papers)"); null when there is nothing to say.
    /// </summary>
    public string? Summary { get; init; }
}
