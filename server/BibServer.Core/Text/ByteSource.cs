using System.Buffers;
using System.Text;

namespace BibServer.Core.Text;

/// <summary>
/// Bytes read by their place: where a library's deferred fields (abstracts, rich titles, line starts) are read
/// from when a hover, an export or citeproc asks for them. An array's bytes (<see cref="Of"/>), or, in the server,
/// a file read through its open handle (a cache file; a large BibTeX library, which is read a few megabytes at a
/// time and never held whole): then a field read costs one read of its bytes, and the rest of the file no memory
/// at all (the core does not know which). A reader that does not keep a source it was handed disposes it.
/// </summary>
public abstract class ByteSource : IDisposable
{
    /// <summary>How many bytes there are.</summary>
    public abstract long Length { get; }

    /// <summary>Fills <paramref name="into"/> with the bytes from <paramref name="offset"/> on (all of them there, or it throws).</summary>
    public abstract void Read(long offset, Span<byte> into);

    /// <summary>Bytes held in memory (an array, a mapped file the caller keeps mapped).</summary>
    public static ByteSource Of(ReadOnlyMemory<byte> bytes) => new MemorySource(bytes);

    /// <summary>The UTF-8 text of a range.</summary>
    public virtual string Utf8(long offset, int length)
    {
        if (length <= 1024)
        {
            Span<byte> small = stackalloc byte[length];
            Read(offset, small);
            return Encoding.UTF8.GetString(small);
        }
        var rented = ScratchArrays.Bytes.Rent(length);
        try
        {
            Read(offset, rented.AsSpan(0, length));
            return Encoding.UTF8.GetString(rented, 0, length);
        }
        finally
        {
            ScratchArrays.Bytes.Return(rented);
        }
    }

    /// <summary>A range's bytes, handed to <paramref name="use"/> (which must not keep the span).</summary>
    public virtual T Use<T>(long offset, int length, SpanReader<T> use)
    {
        var rented = ScratchArrays.Bytes.Rent(length);
        try
        {
            Read(offset, rented.AsSpan(0, length));
            return use(rented.AsSpan(0, length));
        }
        finally
        {
            ScratchArrays.Bytes.Return(rented);
        }
    }

    public delegate T SpanReader<T>(ReadOnlySpan<byte> bytes);

    /// <summary>All the bytes, in an array of their own.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[checked((int)Length)];
        Read(0, bytes);
        return bytes;
    }

    /// <summary>The bytes from <paramref name="start"/> on, as a source of their own (a file after its byte order mark).</summary>
    public ByteSource Skip(long start) => start == 0 ? this : new SkippedSource(this, start);

    /// <summary>Lets go of what the source holds (a file's handle); an array's bytes hold nothing.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private sealed class SkippedSource(ByteSource inner, long start) : ByteSource
    {
        public override long Length => inner.Length - start;

        public override void Read(long offset, Span<byte> into) => inner.Read(start + offset, into);

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
        }
    }

    private sealed class MemorySource(ReadOnlyMemory<byte> bytes) : ByteSource
    {
        public override long Length => bytes.Length;

        public override void Read(long offset, Span<byte> into)
        {
            using var pinned = bytes.Pin();
            bytes.Span.Slice(checked((int)offset), into.Length).CopyTo(into);
        }

        public override string Utf8(long offset, int length)
        {
            using var pinned = bytes.Pin();
            return Encoding.UTF8.GetString(bytes.Span.Slice(checked((int)offset), length));
        }

        public override T Use<T>(long offset, int length, SpanReader<T> use)
        {
            using var pinned = bytes.Pin();
            return use(bytes.Span.Slice(checked((int)offset), length));
        }
    }
}
