using BibServer.Core.Text;
using Microsoft.Win32.SafeHandles;

namespace BibServer.Loading;

/// <summary>
/// A cache file's bytes read through its open handle, by place: where a library read from its cache reads its
/// deferred fields (an abstract for a hover, rich titles for citeproc, the line starts once). Safe because a cache
/// file is never changed in place: a new cache is renamed over it, and the handle still reads the file it opened.
/// The handle is closed when the library's last paper is collected (its own finalizer).
/// </summary>
internal sealed class FileBytes(SafeFileHandle handle, long length) : ByteSource
{
    public override long Length => length;

    public override void Read(long offset, Span<byte> into)
    {
        if (offset < 0 || offset + into.Length > length) throw new ArgumentOutOfRangeException(nameof(offset), "The range lies outside the file.");
        ReadExactly(handle, into, offset);
    }

    /// <summary>Reads all of <paramref name="into"/> from the file at <paramref name="offset"/>, or throws if the file ends first.</summary>
    public static void ReadExactly(SafeFileHandle handle, Span<byte> into, long offset)
    {
        while (!into.IsEmpty)
        {
            var read = RandomAccess.Read(handle, into, offset);
            if (read == 0) throw new EndOfStreamException("The cache file ended before the bytes asked for.");
            into = into[read..];
            offset += read;
        }
    }
}
