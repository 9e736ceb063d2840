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
    /// file itself does (rename); what is asked often (lines, length, the end) is answered from the bytes. A
    /// library read from the cache (<see cref="Cache.LibraryCache"/>) has not read its file: its text is read when
    /// first asked (rename, a quick fix's stub entry), through what the server handed in, and its lines come from
    /// the cache.
    /// </summary>
    public string Text
    {
        get => _text ?? (Utf8 is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes.Span)
            : Utf8File is { } file ? file.Utf8(0, checked((int)file.Length)) : TextSource?.Value ?? "");
        init => _text = value;
    }

    /// <summary>The file's UTF-8 bytes (after any byte order mark) when the document was read from them and keeps no string; else null.</summary>
    public ReadOnlyMemory<byte>? Utf8 { get; init; }

    /// <summary>
    /// The file's UTF-8 bytes (after any byte order mark) on disk, read by place, when the document was read from
    /// them in parts and keeps neither a string nor the bytes (a large BibTeX file, <see cref="Bibtex.BibtexPartsRead"/>); else null.
    /// </summary>
    internal ByteSource? Utf8File { get; init; }

    /// <summary>Whether the file was read a part at a time and its deferred fields are read from it when asked (<see cref="Utf8File"/>).</summary>
    public bool ReadInParts => Utf8File is not null;

    public LineIndex Lines => _lines ??= LinesSource?.Value ?? (_text is null && Utf8 is { } bytes ? LineIndex.FromUtf8(bytes.Span) : new LineIndex(Text));

    /// <summary>The text of a library read from the cache, read when first asked; null when <see cref="Text"/> was given.</summary>
    internal Lazy<string>? TextSource { get; init; }

    /// <summary>The lines of a library read from the cache, decoded when first asked.</summary>
    internal Lazy<LineIndex>? LinesSource { get; init; }

    /// <summary>The length of <see cref="Text"/> in UTF-16 code units.</summary>
    public int TextLength => _text?.Length ?? Lines.TextLength;

    /// <summary>The last <paramref name="count"/> characters of <see cref="Text"/> (fewer in a shorter text): what appending to the file needs.</summary>
    public string Tail(int count)
    {
        if (_text is null && Utf8 is null && Utf8File is { } file)
        {
            var from = Math.Max(0, file.Length - 4L * count);
            return file.Use(from, (int)(file.Length - from), bytes => TailOf(bytes, from == 0, count));
        }
        if (_text is not null || Utf8 is not { } utf8) return Text.Length <= count ? Text : Text[^count..];
        return TailOf(utf8.Span, true, count);
    }

    /// <summary>The last <paramref name="count"/> characters of the UTF-8 bytes that end a text (that are all of it, <paramref name="startsText"/>).</summary>
    private static string TailOf(ReadOnlySpan<byte> bytes, bool startsText, int count)
    {
        // A character is at most four bytes; a slice that starts inside one starts at the next.
        var start = Math.Max(0, bytes.Length - 4 * count);
        while (start < bytes.Length && (start > 0 || !startsText) && (bytes[start] & 0xC0) == 0x80) start++;
        var end = System.Text.Encoding.UTF8.GetString(bytes[start..]);
        return end.Length <= count ? end : end[^count..];
    }

    /// <summary>
    /// Each paper's key's hash (<see cref="UniqueKeys.HashOf"/>), in the order of <see cref="Papers"/>, when every key
    /// is the source's: a library read from the cache, which keeps them, so that its merge need not read a key. Kept
    /// with the papers they were made for: a copy of the document with other papers has none.
    /// </summary>
    internal int[]? KeyHashes
    {
        get => _keyHashes is var (papers, hashes) && papers == Papers ? hashes : null;
        init => _keyHashes = value is null ? null : (Papers, value);
    }

    private readonly (ImmutableArray<Paper> Papers, int[] Hashes)? _keyHashes;

    /// <summary>
    /// What the reader found besides papers, in a few words for the library statistics ("18 attachments and 2
    /// notes (not papers)"); null when there is nothing to say.
    /// </summary>
    public string? Summary { get; init; }
}
