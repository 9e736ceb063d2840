using BibServer.Core.Text;

namespace BibServer.Core.Libraries;

/// <summary>Reads any library file with the format <see cref="LibraryFormats.Of"/> gives it.</summary>
public static class LibraryReader
{
    public static LibraryDocument Read(string path, string text) => LibraryFormats.Of(path).Read(path, text);

    public static LibraryDocument ReadBytes(string path, ReadOnlyMemory<byte> bytes) => LibraryFormats.Of(path).ReadBytes(path, bytes);

    /// <summary>A file as the server read it: its text, or its bytes for a format that reads bytes.</summary>
    public static LibraryDocument Read(string path, FileContent content) => LibraryFormats.Of(path).Read(path, content);

    /// <summary>
    /// A file found by default discovery (no library named anywhere), read if it is a library: its extension
    /// names a format, and that format takes it (<see cref="LibraryFormat.Discover"/>). Otherwise null.
    /// </summary>
    public static LibraryDocument? ReadIfLibrary(string path, FileContent content) =>
        LibraryFormats.ByExtension(path)?.Discover(path, content);
}

/// <summary>
/// A file's content as the server read it: text for a text format, bytes for one that reads bytes, or the file
/// itself to read by place (<see cref="File"/>) for a format that reads a large file a part at a time.
/// </summary>
public readonly record struct FileContent(string? Text, ReadOnlyMemory<byte> Bytes)
{
    public static FileContent FromText(string text) => new(text, default);

    public static FileContent FromBytes(ReadOnlyMemory<byte> bytes) => new(null, bytes);

    /// <summary>A file on disk, handed to its format's reader (<see cref="LibraryFormat.ReadFile"/>), which keeps or disposes it.</summary>
    public static FileContent FromFile(ByteSource file) => new(null, default) { File = file };

    public ByteSource? File { get; init; }

    /// <summary>How many characters (or bytes) the content holds: what reading it will keep, roughly.</summary>
    public long Size => Text?.Length ?? File?.Length ?? Bytes.Length;
}
