using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace BibServer.Loading;

/// <summary>
/// A file's bytes mapped read-only into memory, as <see cref="Memory{T}"/>: only the pages read are brought in,
/// and they are the page cache's. Used to decode BibServer's own cache files (never changed in place: a new one is
/// renamed over the old; a user's library is never mapped, as an editor may truncate it under the mapping), and
/// unmapped when the decode is done (<see cref="IDisposable.Dispose"/>). Every reader of the bytes pins them
/// (<see cref="Memory{T}.Pin"/>) while it holds a span of them; a mapping nobody disposed is released when it is
/// collected.
/// </summary>
internal sealed unsafe class MappedBytes : MemoryManager<byte>
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pointer;
    private readonly int _length;
    private int _released;

    private MappedBytes(MemoryMappedFile file, MemoryMappedViewAccessor view, byte* pointer, int length)
    {
        _file = file;
        _view = view;
        _pointer = pointer;
        _length = length;
    }

    /// <summary>The bytes of an open file (of at most 2 GB, and not empty), mapped; the file's handle may be closed after.</summary>
    public static MappedBytes Map(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long fileLength)
    {
        var length = checked((int)fileLength);
        if (length == 0) throw new IOException("An empty file cannot be mapped.");
        var file = MemoryMappedFile.CreateFromFile(handle, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        try
        {
            var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedBytes(file, view, pointer + view.PointerOffset, length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    // The finalizer is what releases a mapping nobody reads any more (CA2015's concern, a span still in use, is met by
    // the readers: each pins the memory while it holds a span of it, and TryRead keeps this alive over its decode).
#pragma warning disable CA2015
    ~MappedBytes() => Dispose(false);
#pragma warning restore CA2015

    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)_length, nameof(elementIndex));
        // The handle holds this manager, so the mapping stays while the handle is not disposed.
        return new MemoryHandle(_pointer + elementIndex, default, this);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        if (!disposing) return; // the handles' own finalizers unmap and close, after this one
        _view.Dispose();
        _file.Dispose();
    }
}
