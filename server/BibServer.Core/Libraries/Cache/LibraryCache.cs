using System.Buffers.Binary;
using System.Collections.Immutable;
using System.IO.Hashing;
using System.Text;
using BibServer.Core.Papers;
using BibServer.Core.Text;

namespace BibServer.Core.Libraries.Cache;

/// <summary>
/// A read library (a <see cref="LibraryDocument"/>: its papers with every field, its problems, spans and the
/// lines of its file) to bytes and back, for the on-disk cache that lets a second start skip reading a large
/// library. One codec of the paper model serves every format. Pure: the server finds the cache's file, stamps
/// the library file (the <c>key</c>, which the codec only stores and compares) and does the IO.
/// <para>
/// Never trusted blindly: <see cref="Decode"/> refuses bytes of another format version or another build of this
/// assembly (a reader that changed may read the same file differently), written for another key (the file has
/// changed), cut short or damaged anywhere (a checksum of everything before it), and says why. Long fields few
/// readers ask for (abstracts, the rich titles handed to citeproc) stay UTF-8 bytes of the cache, decoded when
/// asked, as a BibTeX library keeps them in its file's text; so do the file's line starts.
/// </para>
/// </summary>
public static class LibraryCache
{
    /// <summary>The layout's version: raised whenever what is written changes.</summary>
    public const int FormatVersion = 4;

    private static ReadOnlySpan<byte> Magic => "BIBSRVLC"u8;

    /// <summary>This build of the readers: a cache written by another build is not used (its readers may differ).</summary>
    public static Guid Build { get; } = typeof(LibraryCache).Assembly.ManifestModule.ModuleVersionId;

    private const int ChecksumLength = 16;

    /// <summary>From this many strings on, the string table is decoded in parts of this many, on every core.</summary>
    internal const int StringsPart = 16_384;

    /// <summary>The papers are decoded in parts of this many, on every core: the body ends with where each part starts.</summary>
    internal const int PapersPart = 4096;

    /// <summary>How many strings the table of these (whole) bytes holds: for tests that must decode it in parts.</summary>
    internal static int StringCount(byte[] bytes)
    {
        var span = bytes.AsSpan();
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(span[28..]);
        var lengths = span[HeaderLength(keyLength)..];
        var at = HeaderLength(keyLength) + 24 + (int)BinaryPrimitives.ReadInt64LittleEndian(lengths);
        return (int)ReadVarint(span, ref at);
    }

    /// <summary>Where the version is written (after the magic), for tests that write another version.</summary>
    internal const int VersionOffset = 8;

    /// <summary>
    /// Writes a read library, with the key of the file it was read from, to <paramref name="output"/>. The
    /// long fields go straight to the stream as they are met, so writing a large library does not hold a second
    /// copy of it. The layout: a header (magic, version, build, key), the lengths of the three sections, the
    /// deferred bytes (abstracts, rich titles, line starts), the string table, the papers and problems, and a
    /// checksum of the sections followed by the header.
    /// </summary>
    public static void Encode(LibraryDocument document, ReadOnlySpan<byte> key, Stream output)
    {
        var header = new byte[HeaderLength(key.Length) + 3 * 8];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(VersionOffset), FormatVersion);
        Build.TryWriteBytes(header.AsSpan(12, 16));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), key.Length);
        key.CopyTo(header.AsSpan(32));
        // The section lengths are known only at the end: the header is written then, over this placeholder.
        var origin = output.Position;
        output.Write(header);
        var hash = new XxHash128();
        var deferred = new StreamSink(output, hash);
        var writer = new Writer(deferred, document.Papers.Length);
        writer.Document(document);
        deferred.Flush();
        // The string table goes straight to the stream too; the papers' section was kept (it comes last) in blocks.
        var strings = new StreamSink(output, hash);
        writer.StringTable(strings);
        strings.Flush();
        writer.Body.WriteTo(output, hash);
        var lengths = header.AsSpan(HeaderLength(key.Length));
        BinaryPrimitives.WriteInt64LittleEndian(lengths, deferred.WrittenCount);
        BinaryPrimitives.WriteInt64LittleEndian(lengths[8..], strings.WrittenCount);
        BinaryPrimitives.WriteInt64LittleEndian(lengths[16..], writer.Body.WrittenCount);
        hash.Append(header);
        Span<byte> checksum = stackalloc byte[ChecksumLength];
        hash.GetCurrentHash(checksum);
        output.Write(checksum);
        var end = output.Position;
        output.Position = origin;
        output.Write(header);
        output.Position = end;
    }

    /// <summary>The bytes of a read library (what <see cref="Encode(LibraryDocument, ReadOnlySpan{byte}, Stream)"/> writes).</summary>
    public static byte[] Encode(LibraryDocument document, ReadOnlySpan<byte> key)
    {
        using var memory = new MemoryStream();
        Encode(document, key, memory);
        return memory.ToArray();
    }

    private static int HeaderLength(int keyLength) => 32 + keyLength;

    /// <summary>
    /// The library these bytes hold, if they were written by this format version and build for this key and are
    /// whole; else null and why. Never throws. <paramref name="text"/> reads the file's text if a feature asks
    /// for it (the cache does not hold it); the document's deferred fields keep <paramref name="bytes"/> alive.
    /// </summary>
    public static (LibraryDocument? Document, string? Why) Decode(byte[] bytes, ReadOnlySpan<byte> key, LibraryFormat format, Func<string> text) =>
        Decode(bytes, key, format, text, hashRange: null);

    /// <summary>
    /// Appends the bytes from an offset, this many, to a hash: how <see cref="Decode(ReadOnlyMemory{byte}, ReadOnlySpan{byte}, LibraryFormat, Func{string}, HashRange?)"/>
    /// checks bytes it is not given as an array (a mapped file, hashed from the file's reads so that its deferred
    /// pages, which the decode does not touch, are not brought into memory by the check either).
    /// </summary>
    public delegate void HashRange(XxHash128 hash, long offset, long length);

    /// <summary>
    /// As <see cref="Decode(byte[], ReadOnlySpan{byte}, LibraryFormat, Func{string})"/>, of bytes held anywhere (an
    /// array, a mapped file). The checksum is computed beside the decode, on another thread, and the decoded library
    /// is given only when it matches: a decode that fails on damaged bytes is that damage. <paramref name="hashRange"/>
    /// hashes a range of the bytes (null: from <paramref name="bytes"/> themselves).
    /// </summary>
    /// <param name="deferredFrom">
    /// Where the deferred fields are read from when asked for: the same bytes as <paramref name="bytes"/>, read by
    /// their place in them (the server's cache file, read through its handle, so that <paramref name="bytes"/> need
    /// not outlive the decode); null: from <paramref name="bytes"/> themselves, which the document then keeps.
    /// </param>
    public static (LibraryDocument? Document, string? Why) Decode(ReadOnlyMemory<byte> bytes, ReadOnlySpan<byte> key, LibraryFormat format, Func<string> text, HashRange? hashRange,
        ByteSource? deferredFrom = null)
    {
        var span = bytes.Span;
        if (span.Length < 32 + 24 + ChecksumLength || !span.StartsWith(Magic)) return (null, "it is not a BibServer library cache");
        var version = BinaryPrimitives.ReadInt32LittleEndian(span[VersionOffset..]);
        if (version != FormatVersion) return (null, $"it was written in cache format {version}, this server reads {FormatVersion}");
        if (new Guid(span.Slice(12, 16)) != Build) return (null, "it was written by another build of BibServer");
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(span[28..]);
        if (keyLength < 0 || HeaderLength(keyLength) + 24 > span.Length - ChecksumLength) return (null, "it is damaged (cut short)");
        if (!span.Slice(32, keyLength).SequenceEqual(key)) return (null, "the library file has changed since it was written");
        var lengths = span[HeaderLength(keyLength)..];
        var deferredLength = BinaryPrimitives.ReadInt64LittleEndian(lengths);
        var stringsLength = BinaryPrimitives.ReadInt64LittleEndian(lengths[8..]);
        var bodyLength = BinaryPrimitives.ReadInt64LittleEndian(lengths[16..]);
        var sections = HeaderLength(keyLength) + 24;
        if (deferredLength < 0 || stringsLength < 0 || bodyLength < 0 || sections + deferredLength + stringsLength + bodyLength + ChecksumLength != span.Length)
            return (null, "it is damaged (cut short, or its sections do not add up)");
        var end = span.Length - ChecksumLength;
        var checksum = span[end..].ToArray();
        // The check reads every byte, the decode only the strings and papers: side by side they take the longer of the two.
        var checking = Task.Run(() =>
        {
            var hash = new XxHash128();
            if (hashRange is null)
            {
                hash.Append(bytes.Span[sections..end]);
                hash.Append(bytes.Span[..sections]);
            }
            else
            {
                hashRange(hash, sections, end - sections);
                hashRange(hash, 0, sections);
            }
            return hash.GetCurrentHash().AsSpan().SequenceEqual(checksum);
        });
        LibraryDocument? document = null;
        Exception? failure = null;
        try
        {
            var stringsStart = sections + (int)deferredLength;
            var strings = Reader.Strings(bytes, stringsStart, stringsStart + (int)stringsLength);
            var reader = new Reader(span, stringsStart + (int)stringsLength, strings);
            if (deferredFrom is not null && deferredFrom.Length != bytes.Length) throw new FormatException("The deferred fields' source is not these bytes.");
            document = reader.Document(bytes, end, new Section(deferredFrom ?? ByteSource.Of(bytes), sections, deferredLength), format, text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Bytes whose checksum does not match may say anything; the check below says what went wrong.
            failure = e;
        }
        bool whole;
        try
        {
            whole = checking.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"it could not be read whole ({e.Message})");
        }
        if (!whole) return (null, "it is damaged (its checksum does not match)");
        if (failure is not null) return (null, $"it is damaged ({failure.GetType().Name})");
        return document is null ? (null, "it was written for a library of another format") : (document, null);
    }

    /// <summary>
    /// The deferred section as it is written: straight to the output stream through a buffer, hashed on the way,
    /// counting what was written (the places the papers keep).
    /// </summary>
    /// <summary>A writer into a buffer of its own that makes room when asked for more than is left (<see cref="MakeRoom"/>).</summary>
    private abstract class BufferSink(int length) : System.Buffers.IBufferWriter<byte>
    {
        protected byte[] Buffer { get; set; } = new byte[length];

        protected int Used { get; set; }

        public long WrittenCount { get; private set; }

        public void Advance(int count)
        {
            Used += count;
            WrittenCount += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Reserve(sizeHint);
            return Buffer.AsMemory(Used);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Reserve(sizeHint);
            return Buffer.AsSpan(Used);
        }

        private void Reserve(int sizeHint)
        {
            sizeHint = Math.Max(sizeHint, 16);
            if (Buffer.Length - Used < sizeHint) MakeRoom(sizeHint);
        }

        /// <summary>Leaves at least <paramref name="sizeHint"/> bytes free in <see cref="Buffer"/> after <see cref="Used"/>.</summary>
        protected abstract void MakeRoom(int sizeHint);
    }

    /// <summary>
    /// Bytes kept in memory in blocks of 64 KB until they are written out (<see cref="WriteTo"/>): the papers'
    /// section, which comes last in the file. A growing array copied itself each time it doubled, and held the old
    /// and the new copy at once (48 MB at the last doubling, for 100,000 papers). Blocks under the runtime's 85 KB
    /// stay out of the large object heap, which is not compacted: blocks of a megabyte left holes in it after the write.
    /// </summary>
    private sealed class BlockSink() : BufferSink(1 << 16)
    {
        private readonly List<(byte[] Block, int Used)> _full = [];

        protected override void MakeRoom(int sizeHint)
        {
            if (Used > 0) _full.Add((Buffer, Used));
            Buffer = new byte[Math.Max(1 << 16, sizeHint)];
            Used = 0;
        }

        public void WriteTo(Stream output, XxHash128 hash)
        {
            foreach (var (block, used) in _full.Append((Buffer, Used)))
            {
                output.Write(block, 0, used);
                hash.Append(block.AsSpan(0, used));
            }
        }
    }

    /// <summary>Bytes written to a stream (and the hash) a megabyte at a time: the deferred section and the string table.</summary>
    private sealed class StreamSink(Stream output, XxHash128 hash) : BufferSink(1 << 20)
    {
        public void Flush()
        {
            output.Write(Buffer, 0, Used);
            hash.Append(Buffer.AsSpan(0, Used));
            Used = 0;
        }

        protected override void MakeRoom(int sizeHint)
        {
            Flush();
            if (Buffer.Length < sizeHint) Buffer = new byte[sizeHint];
        }
    }

    /// <summary>
    /// An abstract kept as UTF-8 bytes of the cache, decoded each time it is read. The bytes are pinned while they
    /// are read (as every deferred field's): bytes of a mapped file stay mapped while a span of them is in use.
    /// </summary>
    private sealed record CachedText(ByteSource Source, long Offset, int Length) : DeferredText
    {
        public override string? Decode() => Source.Utf8(Offset, Length);
    }

    /// <summary>Rich titles kept as bytes of the cache (a count, then names and values), decoded each time they are read.</summary>
    private sealed record CachedFields(ByteSource Source, long Offset, int Length) : DeferredFields
    {
        public override FieldMap Decode() => Source.Use(Offset, Length, Fields);

        private static FieldMap Fields(ReadOnlySpan<byte> span)
        {
            var at = 0;
            var count = (int)ReadVarint(span, ref at);
            if (count == 0) return FieldMap.Empty;
            var pairs = new string[count];
            for (var i = 0; i < count; i++)
            {
                var length = (int)ReadVarint(span, ref at);
                pairs[i] = Encoding.UTF8.GetString(span.Slice(at, length));
                at += length;
            }
            return FieldMap.FromPairs(pairs);
        }
    }

    /// <summary>The deferred section: where it starts in its source, and how long it is.</summary>
    private readonly record struct Section(ByteSource Source, long Origin, long Length);

    /// <summary>A number of one byte (most: counts, places of strings under 128, spans' lengths) without the loop.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int at)
    {
        var first = span[at];
        if (first < 0x80)
        {
            at++;
            return first;
        }
        return ReadLongVarint(span, ref at);
    }

    private static ulong ReadLongVarint(ReadOnlySpan<byte> span, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = span[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new FormatException("A number in the cache runs on.");
    }

    private sealed class Writer(StreamSink deferred, int papers)
    {
        /// <summary>
        /// Sized ahead for the strings a paper has (key, title, names, venue, links): a table that grows doubles
        /// itself from small, and at 100,000 papers its copies were 30 MB of large arrays left for the collector's
        /// oldest generation to find while a session goes on (docs/benchmarks.md).
        /// </summary>
        private readonly Dictionary<string, int> _strings = new(StringsPerPaper * papers, StringComparer.Ordinal);
        private readonly List<string> _order = new(StringsPerPaper * papers);
        private const int StringsPerPaper = 5;
        public BlockSink Body { get; } = new();
        private StreamSink Deferred { get; } = deferred;

        /// <summary>Every distinct string, once: a count, then each as its UTF-8 length and bytes.</summary>
        public void StringTable(System.Buffers.IBufferWriter<byte> table)
        {
            Varint(table, (ulong)_order.Count);
            foreach (var s in _order) Utf8(table, s);
        }

        public void Document(LibraryDocument document)
        {
            String(document.Format.Name);
            String(document.Path);
            String(document.Summary);
            Number(document.Problems.Length);
            foreach (var p in document.Problems)
            {
                Number((int)p.Severity);
                String(p.Message);
                Span(p.Span);
                String(p.Code);
            }
            Number(document.Papers.Length);
            var parts = new List<long>();
            for (var i = 0; i < document.Papers.Length; i++)
            {
                if (i % PapersPart == 0) parts.Add(Body.WrittenCount);
                Paper(document.Papers[i]);
            }
            // The file's line starts, as differences, where hover and diagnostics find an entry's line.
            var lines = document.Lines;
            Number(lines.TextLength);
            var deferredLines = Deferred.WrittenCount;
            Varint(Deferred, (ulong)lines.LineCount);
            var previous = 0;
            foreach (var start in lines.LineStarts)
            {
                Varint(Deferred, (ulong)(start - previous));
                previous = start;
            }
            Range(deferredLines);
            // Where each part of the papers starts in the body, at fixed width, then their count: read from the end.
            var trailer = Body.GetSpan(parts.Count * 8 + 4);
            for (var i = 0; i < parts.Count; i++) BinaryPrimitives.WriteInt64LittleEndian(trailer[(i * 8)..], parts[i]);
            BinaryPrimitives.WriteInt32LittleEndian(trailer[(parts.Count * 8)..], parts.Count);
            Body.Advance(parts.Count * 8 + 4);
        }

        private void Paper(Paper p)
        {
            String(p.Key);
            // The key's hash, at fixed width: the merge's key table is built from it without reading a key.
            BinaryPrimitives.WriteInt32LittleEndian(Body.GetSpan(4), UniqueKeys.HashOf(p.Key));
            Body.Advance(4);
            Number((int)p.KeyOrigin);
            String(p.Type);
            String(p.Title);
            if (p.CslRichText is { } rich)
            {
                Number(1);
                var start = Deferred.WrittenCount;
                var fields = rich.Decode();
                Varint(Deferred, (ulong)(fields.Count * 2));
                foreach (var (name, value) in fields)
                {
                    Utf8(Deferred, name);
                    Utf8(Deferred, value);
                }
                Range(start);
            }
            else Number(0);
            People(p.Authors);
            People(p.Editors);
            Optional(p.AuthorCount);
            String(p.Organization);
            Date(p.Date);
            String(p.Venue);
            if (p.Abstract is { } abstractText)
            {
                Number(1);
                var start = Deferred.WrittenCount;
                var length = Encoding.UTF8.GetByteCount(abstractText);
                Encoding.UTF8.GetBytes(abstractText, Deferred.GetSpan(length));
                Deferred.Advance(length);
                Range(start);
            }
            else Number(0);
            String(p.Url);
            String(p.Doi);
            String(p.ArxivId);
            Fields(p.Fields);
            Location(p.Location);
            Number(p.OtherListings.Length);
            foreach (var l in p.OtherListings)
            {
                Location(l.Location);
                String(l.Venue);
                String(l.Abstract);
                Date(l.Date);
            }
            if (p.Extras is { } x)
            {
                Number(1);
                String(x.AppUri);
                Number(x.Files.Length);
                foreach (var f in x.Files)
                {
                    String(f.Path);
                    String(f.ContentType);
                    String(f.Title);
                }
                Remarks(x.Annotations);
                Remarks(x.Notes);
                String(x.KeyNote);
                Number(x.KeyGenerated ? 1 : 0);
            }
            else Number(0);
        }

        private void Remarks(ImmutableArray<PaperRemark> remarks)
        {
            Number(remarks.Length);
            foreach (var r in remarks)
            {
                String(r.Kind);
                String(r.Text);
                String(r.Comment);
                String(r.Page);
            }
        }

        private void People(ImmutableArray<Person> people)
        {
            Number(people.Length);
            foreach (var person in people)
            {
                String(person.Family);
                String(person.Given);
                String(person.Literal);
                String(person.DroppingParticle);
            }
        }

        private void Date(PaperDate? date)
        {
            if (date is null)
            {
                Number(0);
                return;
            }
            Number(1);
            Optional(date.Year);
            Optional(date.Month);
            Optional(date.Day);
            String(date.Raw);
        }

        private void Fields(FieldMap fields)
        {
            Number(fields.Count);
            foreach (var (name, value) in fields)
            {
                String(name);
                String(value);
            }
        }

        private void Location(SourceLocation location)
        {
            String(location.Path);
            Span(location.Span);
            Span(location.FocusSpan);
        }

        private void Span(TextSpan span)
        {
            Number(span.Start);
            Number(span.Length);
        }

        /// <summary>A range of the deferred section, from <paramref name="start"/> to what is written now.</summary>
        private void Range(long start)
        {
            Varint(Body, (ulong)start);
            Varint(Body, (ulong)(Deferred.WrittenCount - start));
        }

        /// <summary>A string as its place in the table plus one; zero is null.</summary>
        private void String(string? s)
        {
            if (s is null)
            {
                Varint(Body, 0);
                return;
            }
            if (!_strings.TryGetValue(s, out var index))
            {
                index = _order.Count;
                _strings[s] = index;
                _order.Add(s);
            }
            Varint(Body, (ulong)index + 1);
        }

        private void Number(int value) => Varint(Body, (ulong)value);

        /// <summary>An optional number: zero for none, else the zigzagged value plus one.</summary>
        private void Optional(int? value) => Varint(Body, value is { } v ? ZigZag(v) + 1 : 0);

        private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

        private static void Utf8(System.Buffers.IBufferWriter<byte> to, string s)
        {
            var length = Encoding.UTF8.GetByteCount(s);
            Varint(to, (ulong)length);
            Encoding.UTF8.GetBytes(s, to.GetSpan(length));
            to.Advance(length);
        }

        private static void Varint(System.Buffers.IBufferWriter<byte> to, ulong value)
        {
            var span = to.GetSpan(10);
            var n = 0;
            while (value >= 0x80)
            {
                span[n++] = (byte)(value | 0x80);
                value >>= 7;
            }
            span[n++] = (byte)value;
            to.Advance(n);
        }
    }

    /// <summary>
    /// Reads the papers and problems from the bytes of the body, a varint at a time, with the string table decoded
    /// first. A count of things to come is checked against the bytes left (each takes one byte at least) before
    /// anything is made that size, so damaged bytes cannot ask for more memory than the cache's size.
    /// </summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes, int at, string?[] strings)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private readonly string?[] _strings = strings;
        private int _at = at;

        /// <summary>
        /// The string table, from <paramref name="start"/> to <paramref name="end"/>: a count, then each string as its
        /// UTF-8 length and bytes; index 0 is null. A large table is decoded in parts on every core: a first pass
        /// over the lengths finds where each part starts (and that the lengths add up to the section).
        /// </summary>
        public static string?[] Strings(ReadOnlyMemory<byte> memory, int start, int end)
        {
            var bytes = memory.Span;
            var at = start;
            var count = (int)ReadVarint(bytes, ref at);
            if (count < 0 || count > end - at) throw new FormatException("The string table counts more strings than it has bytes.");
            var strings = new string?[count + 1];
            var parts = (count + StringsPart - 1) / StringsPart;
            var partStarts = new int[parts + 1];
            for (var i = 0; i < count; i++)
            {
                if (i % StringsPart == 0) partStarts[i / StringsPart] = at;
                var length = (int)ReadVarint(bytes, ref at);
                if (length < 0 || length > end - at) throw new FormatException("A string of the table runs past its section.");
                at += length;
            }
            if (at != end) throw new FormatException("The string table does not end where its section does.");
            void Part(int part)
            {
                var span = memory.Span;
                var from = partStarts[part];
                var last = Math.Min(count, (part + 1) * StringsPart);
                for (var i = part * StringsPart + 1; i <= last; i++)
                {
                    var length = (int)ReadVarint(span, ref from);
                    strings[i] = Encoding.UTF8.GetString(span.Slice(from, length));
                    from += length;
                }
            }
            if (parts <= 1)
            {
                for (var p = 0; p < parts; p++) Part(p);
            }
            else
            {
                Parallel.For(0, parts, Part);
            }
            return strings;
        }

        /// <summary>
        /// The document, from the body that starts where this reader is and ends at <paramref name="end"/> (in
        /// <paramref name="memory"/>, the whole cache, which the parts of the papers read on other threads).
        /// </summary>
        public LibraryDocument? Document(ReadOnlyMemory<byte> memory, int end, Section deferred, LibraryFormat format, Func<string> text)
        {
            var bodyStart = _at;
            if (end - bodyStart < 4) throw new FormatException("The body is too short for its parts' count.");
            var partCount = BinaryPrimitives.ReadInt32LittleEndian(_bytes[(end - 4)..]);
            if (partCount < 0 || partCount > (end - bodyStart - 4) / 8) throw new FormatException("The body counts more parts than it has bytes.");
            var trailer = end - 4 - partCount * 8;
            if (String() != format.Name) return null;
            var path = String()!;
            var summary = String();
            var problems = ImmutableArray.CreateBuilder<Problem>(Capacity());
            for (var i = problems.Capacity; i > 0; i--)
                problems.Add(new Problem((Severity)Count(), String()!, Span(), String()!));
            var paperCount = Capacity();
            if (partCount != (paperCount + PapersPart - 1) / PapersPart) throw new FormatException("The papers' parts do not match their count.");
            // Each part's start, as an offset in the cache; a part must end where the next starts.
            var starts = new int[partCount + 1];
            for (var p = 0; p < partCount; p++)
            {
                var start = BinaryPrimitives.ReadInt64LittleEndian(_bytes[(trailer + p * 8)..]);
                if (start < 0 || start > trailer - bodyStart) throw new FormatException("A part of the papers starts outside the body.");
                starts[p] = bodyStart + (int)start;
            }
            if (partCount > 0 && starts[0] != _at) throw new FormatException("The papers do not start where their first part does.");
            var papers = new Paper[paperCount];
            var keyHashes = new int[paperCount];
            var generatedKeys = 0;
            var strings = _strings;
            var ends = new int[partCount];
            void Part(int p)
            {
                var part = new Reader(memory.Span[..trailer], starts[p], strings);
                var last = Math.Min(paperCount, (p + 1) * PapersPart);
                var generated = false;
                for (var i = p * PapersPart; i < last; i++)
                {
                    var paper = part.Paper(deferred, out keyHashes[i]);
                    generated |= paper.KeyOrigin != KeyOrigin.Source;
                    papers[i] = paper;
                }
                if (generated) Volatile.Write(ref generatedKeys, 1);
                ends[p] = part._at;
            }
            if (partCount <= 1)
            {
                for (var p = 0; p < partCount; p++) Part(p);
            }
            else
            {
                Parallel.For(0, partCount, Part);
            }
            for (var p = 0; p + 1 < partCount; p++)
                if (ends[p] != starts[p + 1]) throw new FormatException("A part of the papers does not end where the next starts.");
            if (partCount > 0) _at = ends[^1];
            var textLength = Count();
            var lines = Slice(deferred);
            if (_at != trailer) throw new FormatException("The papers do not end where their section does.");
            return new LibraryDocument(path, format, null!, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(papers), problems.MoveToImmutable())
            {
                KeyHashes = generatedKeys == 0 ? keyHashes : null,
                Summary = summary,
                TextSource = new Lazy<string>(text),
                LinesSource = new Lazy<LineIndex>(() => Lines(lines, textLength)),
            };
        }

        private static LineIndex Lines((ByteSource Source, long Offset, int Length) range, int textLength) =>
            range.Source.Use(range.Offset, range.Length, encoded => Lines(encoded, textLength));

        private static LineIndex Lines(ReadOnlySpan<byte> encoded, int textLength)
        {
            var at = 0;
            var starts = new int[(int)ReadVarint(encoded, ref at)];
            var previous = 0;
            for (var i = 0; i < starts.Length; i++) starts[i] = previous += (int)ReadVarint(encoded, ref at);
            return LineIndex.FromLineStarts(starts, textLength);
        }

        private Paper Paper(Section deferred, out int keyHash)
        {
            var key = String()!;
            if (_bytes.Length - _at < 4) throw new FormatException("A paper's key's hash runs past the cache's end.");
            keyHash = BinaryPrimitives.ReadInt32LittleEndian(_bytes[_at..]);
            _at += 4;
            var origin = (KeyOrigin)Count();
            var type = String()!;
            var title = String()!;
            DeferredFields? rich = Count() == 1 ? new CachedFields(deferred.Source, Slice(deferred, out var richLength), richLength) : null;
            var authors = People();
            var editors = People();
            var authorCount = Optional();
            var organization = String();
            var date = Date();
            var venue = String();
            DeferredText? abstractText = Count() == 1 ? new CachedText(deferred.Source, Slice(deferred, out var abstractLength), abstractLength) : null;
            var url = String();
            var doi = String();
            var arxiv = String();
            var fields = Fields();
            var location = Location();
            // Most papers have no other listing and few authors: arrays made to size, no builders (a warm start
            // allocates every paper of the library at once).
            var listingCount = Capacity();
            var listings = listingCount == 0 ? ImmutableArray<Listing>.Empty : Make(listingCount, ref this, static (ref Reader r) => new Listing(r.Location(), r.String(), r.String(), r.Date()));
            PaperExtras? extras = null;
            if (Count() == 1)
            {
                var appUri = String();
                var files = ImmutableArray.CreateBuilder<PaperFile>(Capacity());
                for (var i = files.Capacity; i > 0; i--) files.Add(new PaperFile(String()!, String(), String()));
                extras = new PaperExtras
                {
                    AppUri = appUri,
                    Files = files.MoveToImmutable(),
                    Annotations = Remarks(),
                    Notes = Remarks(),
                    KeyNote = String(),
                    KeyGenerated = Count() == 1,
                };
            }
            return new Paper
            {
                Key = key,
                KeyOrigin = origin,
                Type = type,
                Title = title,
                CslRichText = rich,
                Authors = authors,
                Editors = editors,
                AuthorCount = authorCount,
                Organization = organization,
                Date = date,
                Venue = venue,
                DeferredAbstract = abstractText,
                Url = url,
                Doi = doi,
                ArxivId = arxiv,
                Fields = fields,
                Location = location,
                OtherListings = listings,
                Extras = extras,
            };
        }

        private ImmutableArray<PaperRemark> Remarks()
        {
            var remarks = ImmutableArray.CreateBuilder<PaperRemark>(Capacity());
            for (var i = remarks.Capacity; i > 0; i--) remarks.Add(new PaperRemark(String()!, String()!, String(), String()));
            return remarks.MoveToImmutable();
        }

        private ImmutableArray<Person> People()
        {
            var count = Capacity();
            if (count == 0) return ImmutableArray<Person>.Empty;
            var people = new Person[count];
            for (var i = 0; i < people.Length; i++) people[i] = new Person(String(), String(), String()) { DroppingParticle = String() };
            return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(people);
        }

        private delegate T Item<T>(ref Reader reader);

        /// <summary>An immutable array of <paramref name="count"/> items read one after the other, made to size.</summary>
        private static ImmutableArray<T> Make<T>(int count, ref Reader reader, Item<T> item)
        {
            var items = new T[count];
            for (var i = 0; i < count; i++) items[i] = item(ref reader);
            return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(items);
        }

        private PaperDate? Date() => Count() == 0 ? null : new PaperDate(Optional(), Optional(), Optional(), String());

        private FieldMap Fields()
        {
            var count = Capacity();
            if (count == 0) return FieldMap.Empty;
            var pairs = new string[count * 2];
            for (var i = 0; i < pairs.Length; i++) pairs[i] = String()!;
            // Written from a map, whose names are distinct: the bytes are checked whole beside the decode.
            return FieldMap.OfDistinctPairs(pairs);
        }

        private SourceLocation Location() => new(String()!, Span(), Span());

        private TextSpan Span() => new(Count(), Count());

        /// <summary>A range of the deferred section: its place in the source (checked to lie inside the section), and its length.</summary>
        private long Slice(Section deferred, out int length)
        {
            var start = Count();
            length = Count();
            if ((long)start + length > deferred.Length) throw new FormatException("A deferred field lies outside its section.");
            return deferred.Origin + start;
        }

        private (ByteSource Source, long Offset, int Length) Slice(Section deferred) => (deferred.Source, Slice(deferred, out var length), length);

        private string? String()
        {
            var index = Count();
            return index == 0 ? null : _strings[index];
        }

        private int? Optional()
        {
            var value = ReadVarint(_bytes, ref _at);
            if (value == 0) return null;
            value--;
            return checked((int)((long)(value >> 1) ^ -(long)(value & 1)));
        }

        private int Count() => checked((int)ReadVarint(_bytes, ref _at));

        /// <summary>A count of things to come, each of at least one byte: never more than the bytes left.</summary>
        private int Capacity()
        {
            var count = Count();
            return count <= _bytes.Length - _at ? count : throw new FormatException("A count runs past the cache's end.");
        }
    }
}
