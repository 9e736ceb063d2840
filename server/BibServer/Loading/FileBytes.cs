using BibServer.Core.Text;
using Microsoft.Win32.SafeHandles;

namespace BibServer.Loading;

/// <summary>
/// A file's bytes read through its open handle, by place. A cache file's: where a library read from its cache
/// reads its deferred fields (an abstract for a hover, rich titles for citeproc, the line starts once), safe
/// because a cache file is never changed in place (a new cache is renamed over it, and the handle still reads the
/// file it opened). A library file's (<see cref="OpenLibrary"/>): what a large BibTeX library is read through a
/// part at a time, and its deferred fields later, each checked against the hash of the bytes it was read from
/// (an editor that saves by renaming a new file over it leaves this handle on the old one; one that writes in
/// place is caught by the hash). The handle is closed when the reader lets it go (<see cref="ByteSource.Dispose()"/>)
/// or the library's last paper is collected (its own finalizer).
/// </summary>
internal sealed class FileBytes(SafeFileHandle handle, long length) : ByteSource
{
    public override long Length => length;

    /// <summary>
    /// A library file opened for reading by place, sharing everything (an editor may write, rename or delete it
    /// meanwhile, on any platform).
    /// </summary>
    public static FileBytes OpenLibrary(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.RandomAccess);
        try
        {
            return new FileBytes(handle, RandomAccess.GetLength(handle));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) handle.Dispose();
    }

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
