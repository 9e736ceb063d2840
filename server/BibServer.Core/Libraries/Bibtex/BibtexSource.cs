using System.Text;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// What a scan's offsets point into: an editor's buffer as a string (offsets are UTF-16 code units), or a file
/// as its UTF-8 bytes (offsets are bytes). BibTeX's syntax is ASCII, so the scanner reads both alike; a value
/// is decoded to a string only when a paper keeps it decoded, and the fields kept for the rare reader (an
/// abstract, rich titles) stay slices of the bytes. A file of 150 MB is then 150 MB of bytes held, not 300 MB
/// of UTF-16 (docs/benchmarks.md, issue 13).
/// </summary>
internal abstract class BibtexSource
{
    /// <summary>The value's raw characters: a slice of the string, or the bytes decoded into a new array.</summary>
    public abstract ReadOnlySpan<char> Span(RawValue value);

    /// <summary>The raw text of [start, start + length) as a string.</summary>
    public abstract string String(int start, int length);

    /// <summary>The UTF-16 offset of a scan's offset (the same number for a string).</summary>
    public abstract int Utf16(int offset);

    public TextSpan Utf16(TextSpan span) => TextSpan.FromBounds(Utf16(span.Start), Utf16(span.End));

    /// <summary>From <paramref name="start"/> to the end of its line, trailing white space left out (scan offsets).</summary>
    public abstract int LineEndTrimmed(int start);

    /// <summary>A field's value kept undecoded until it is read (an abstract).</summary>
    public DeferredText Deferred(RawValue value) => value.Composite is { } composite
        ? new StringValue(composite, new RawValue(0, composite.Length, null))
        : Slice(value);

    protected abstract DeferredText Slice(RawValue value);

    /// <summary>The source a paper's rich titles are read from later: this one, or for a part of a file read in parts, the file on disk.</summary>
    public virtual BibtexSource Kept => this;

    /// <summary>A value as <see cref="Kept"/> reads it (its place in the file, for a part of one).</summary>
    public virtual RawValue? Keep(RawValue? value) => value;

    /// <summary>
    /// A hash of these values' bytes, which <see cref="Holds"/> checks them against when they are read again from
    /// <see cref="Kept"/>; 0 where they are read from memory that cannot change.
    /// </summary>
    public virtual ulong Stamp(ReadOnlySpan<RawValue?> values) => 0;

    /// <summary>Whether these values (as <see cref="Keep"/> gave them) still read as they did when stamped.</summary>
    public virtual bool Holds(ulong stamp, ReadOnlySpan<RawValue?> values) => true;

    /// <summary>A value's raw text in a string, decoded when read.</summary>
    private protected sealed record StringValue(string Text, RawValue Value) : DeferredText
    {
        public override string? Decode()
        {
            var decoded = LatexDecoder.Decode(Value.Span(Text));
            return decoded.Length == 0 ? null : decoded;
        }

        // The file's text is the same string for all of its papers: compared by reference, never character by character.
        public bool Equals(StringValue? other) => other is not null && ReferenceEquals(Text, other.Text) && Value == other.Value;

        public override int GetHashCode() => Value.GetHashCode();
    }
}

/// <summary>An editor's buffer of a library: the scan's offsets are the string's.</summary>
internal sealed class StringSource(string text) : BibtexSource
{
    public string Text { get; } = text;

    public override ReadOnlySpan<char> Span(RawValue value) => value.Span(Text);

    public override string String(int start, int length) => Text.Substring(start, length);

    public override int Utf16(int offset) => offset;

    public override int LineEndTrimmed(int start)
    {
        var end = Text.IndexOf('\n', start);
        if (end < 0) end = Text.Length;
        while (end > start && char.IsWhiteSpace(Text[end - 1])) end--;
        return end;
    }

    protected override DeferredText Slice(RawValue value) => new StringValue(Text, value);

    public override bool Equals(object? obj) => obj is StringSource other && ReferenceEquals(Text, other.Text);

    public override int GetHashCode() => Text.Length;
}

/// <summary>
/// A library file's UTF-8 bytes (after any byte order mark), which the papers' deferred fields keep as slices;
/// or one part of a large file read in parts (<see cref="BibtexPartsRead"/>), whose deferred fields are kept as
/// their place in the file on disk (<see cref="StoredFile"/>), since the part's bytes are let go once its papers
/// are built. UTF-16 offsets (spans, which LSP counts in UTF-16) are found from a table of the characters before
/// every block of <see cref="Block"/> bytes, made once; a file of ASCII needs none.
/// </summary>
internal sealed class Utf8Source : BibtexSource
{
    private const int Block = 1024;

    private readonly ReadOnlyMemory<byte> _bytes;

    /// <summary>Where each block starts (a byte that starts a character) and the UTF-16 length of all before it; null for ASCII.</summary>
    private readonly int[]? _blockStarts;
    private readonly int[]? _blockChars;

    /// <summary>Where these bytes start in the file, in bytes and in UTF-16 code units (0 for a whole file).</summary>
    private readonly int _byteBase;
    private readonly int _charBase;

    /// <summary>The file a part's deferred fields are read from later; null when these bytes are the whole file, kept.</summary>
    private readonly StoredFile? _stored;

    public Utf8Source(ReadOnlyMemory<byte> bytes) : this(bytes, 0, 0, null)
    {
    }

    /// <summary>A part of a file: its bytes, where they start in the file (bytes, UTF-16) and the file they are read from later.</summary>
    public Utf8Source(ReadOnlyMemory<byte> bytes, int byteBase, int charBase, StoredFile? stored)
    {
        _bytes = bytes;
        _byteBase = byteBase;
        _charBase = charBase;
        _stored = stored;
        var span = bytes.Span;
        if (System.Text.Ascii.IsValid(span)) return;
        var blocks = (span.Length + Block - 1) / Block + 1;
        _blockStarts = new int[blocks];
        _blockChars = new int[blocks];
        var at = 0;
        var chars = 0;
        for (var b = 0; b < blocks; b++)
        {
            // A block starts at the first byte from b * Block on that is not a continuation byte, where a decoder
            // is always between characters; after three continuation bytes one is too (no character has more).
            var start = Math.Min(span.Length, b * Block);
            for (var k = 0; k < 3 && start < span.Length && (span[start] & 0xC0) == 0x80; k++) start++;
            start = Math.Max(start, at);
            chars += Encoding.UTF8.GetCharCount(span[at..start]);
            _blockStarts[b] = at = start;
            _blockChars[b] = chars;
        }
    }

    public ReadOnlyMemory<byte> Bytes => _bytes;

    public override ReadOnlySpan<char> Span(RawValue value) =>
        value.Composite is { } composite ? composite : Encoding.UTF8.GetString(_bytes.Span.Slice(value.Start, value.Length));

    public override string String(int start, int length) => Encoding.UTF8.GetString(_bytes.Span.Slice(start, length));

    public override int Utf16(int offset)
    {
        if (_blockStarts is null) return _charBase + offset;
        var span = _bytes.Span;
        offset = Math.Clamp(offset, 0, span.Length);
        var b = offset / Block;
        if (_blockStarts[b] > offset) b--;
        return _charBase + _blockChars![b] + Encoding.UTF8.GetCharCount(span[_blockStarts[b]..offset]);
    }

    public override int LineEndTrimmed(int start)
    {
        var span = _bytes.Span;
        var nl = span[start..].IndexOf((byte)'\n');
        var end = nl < 0 ? span.Length : start + nl;
        while (end > start)
        {
            if (System.Text.Rune.DecodeLastFromUtf8(span[start..end], out var rune, out var length) != System.Buffers.OperationStatus.Done
                || !System.Text.Rune.IsWhiteSpace(rune)) break;
            end -= length;
        }
        return end;
    }

    protected override DeferredText Slice(RawValue value) => _stored is null
        ? new Utf8Value(this, value.Start, value.Length)
        : new StoredFile.Value(_stored, _byteBase + value.Start, value.Length, StoredFile.Hash(_bytes.Span.Slice(value.Start, value.Length), 0));

    public override BibtexSource Kept => (BibtexSource?)_stored ?? this;

    public override RawValue? Keep(RawValue? value) =>
        _stored is null || value is not { Composite: null } v ? value : v with { Start = _byteBase + v.Start };

    public override ulong Stamp(ReadOnlySpan<RawValue?> values)
    {
        if (_stored is null) return 0;
        ulong hash = 0;
        foreach (var value in values)
        {
            if (value is { Composite: null } v) hash = StoredFile.Hash(_bytes.Span.Slice(v.Start, v.Length), hash);
        }
        return hash;
    }

    /// <summary>A value's raw bytes in the file, decoded (UTF-8, then LaTeX) when read.</summary>
    private sealed record Utf8Value(Utf8Source Source, int Start, int Length) : DeferredText
    {
        public override string? Decode()
        {
            var decoded = LatexDecoder.Decode(Source.Span(new RawValue(Start, Length, null)));
            return decoded.Length == 0 ? null : decoded;
        }

        // The bytes are the same for all of a file's papers: compared by reference, never byte by byte.
        public bool Equals(Utf8Value? other) => other is not null && ReferenceEquals(Source, other.Source) && Start == other.Start && Length == other.Length;

        public override int GetHashCode() => HashCode.Combine(Start, Length);
    }
}

/// <summary>
/// A large library file on disk, read in parts (<see cref="BibtexPartsRead"/>): what its papers' deferred fields
/// (abstracts, rich titles) are read from when a hover, an export or citeproc asks, by their place in the file.
/// Each read is checked against a hash of the bytes the field was read from: a file changed in place since (its
/// new content not yet read again) gives no field rather than another entry's text. Only reading by place is
/// possible here; the reading of the file itself was done by its parts.
/// </summary>
internal sealed class StoredFile(ByteSource file) : BibtexSource
{
    public ByteSource File => file;

    /// <summary>The hash of a value's bytes, chained from the hash of the values before it (0 for the first).</summary>
    public static ulong Hash(ReadOnlySpan<byte> bytes, ulong before) => System.IO.Hashing.XxHash3.HashToUInt64(bytes, unchecked((long)before));

    public override ReadOnlySpan<char> Span(RawValue value) => value.Composite is { } composite ? composite : file.Utf8(value.Start, value.Length);

    public override string String(int start, int length) => file.Utf8(start, length);

    public override int Utf16(int offset) => throw new NotSupportedException("A stored file is read by place only; its offsets were turned into UTF-16 when its parts were read.");

    public override int LineEndTrimmed(int start) => throw new NotSupportedException("A stored file is read by place only.");

    protected override DeferredText Slice(RawValue value) => throw new NotSupportedException("A stored file's deferred fields are made by the parts it was read in.");

    public override bool Holds(ulong stamp, ReadOnlySpan<RawValue?> values)
    {
        ulong hash = 0;
        try
        {
            foreach (var value in values)
            {
                if (value is not { Composite: null } v) continue;
                var before = hash;
                hash = file.Use(v.Start, v.Length, bytes => Hash(bytes, before));
            }
        }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException or ObjectDisposedException)
        {
            return false;
        }
        return hash == stamp;
    }

    /// <summary>A deferred value (an abstract) at its place in the file, with the hash of its bytes when it was read.</summary>
    internal sealed record Value(StoredFile File, int Start, int Length, ulong Hash) : DeferredText
    {
        public override string? Decode()
        {
            string? text;
            try
            {
                text = File.File.Use(Start, Length, bytes => StoredFile.Hash(bytes, 0) == Hash ? Encoding.UTF8.GetString(bytes) : null);
            }
            catch (Exception e) when (e is IOException or ArgumentOutOfRangeException or ObjectDisposedException)
            {
                return null; // The file is gone or shorter: it changed, and is read again.
            }
            if (text is null) return null;
            var decoded = LatexDecoder.Decode(text);
            return decoded.Length == 0 ? null : decoded;
        }

        public bool Equals(Value? other) => other is not null && ReferenceEquals(File, other.File) && Start == other.Start && Length == other.Length;

        public override int GetHashCode() => HashCode.Combine(Start, Length);
    }
}
