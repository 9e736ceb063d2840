using System.Collections.Immutable;
using BibServer.Core.Libraries;
using Microsoft.Extensions.Logging;

namespace BibServer.Loading;

/// <summary>
/// Reading files: every read of a note, a library or bibserver.yaml the server makes comes through here. A
/// library is read as its format asks, text or bytes (<see cref="LibraryFormat.ReadsFileAsBytes"/>).
/// </summary>
internal static class FileReading
{
    /// <summary>A file's text, or null when it does not exist or cannot be read.</summary>
    public static string? ReadFile(string path)
    {
        try
        {
            // A FIFO, a device or a file past the size limit is never opened (FileGuard says why).
            return File.Exists(path) && FileGuard.WhyNotReadable(path) is null ? ReadText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads a file as File.ReadAllText does (UTF-8 unless a byte order mark says otherwise, bad bytes made
    /// U+FFFD) with a third of its peak memory. ReadAllText gathers the text in a StringBuilder and then copies
    /// it, so a 150 MB library briefly holds two 300 MB copies, the first in small chunks that live long enough
    /// to reach the oldest generation. Here a large file is read twice in chunks of a megabyte, once to count
    /// its characters and once to decode them straight into the one string kept: no copy of the file's bytes
    /// is made, which took a third off the read (docs/benchmarks.md).
    /// </summary>
    public static string ReadText(string path)
    {
        using (var file = File.OpenHandle(path))
        {
            var length = RandomAccess.GetLength(file);
            if (length >= ChunkedReadFrom && length < int.MaxValue && ReadChunked(file, length) is { } text) return text;
        }
        var bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> utf8Bom = [0xEF, 0xBB, 0xBF];
        if (bytes.AsSpan().StartsWith(utf8Bom)) return System.Text.Encoding.UTF8.GetString(bytes.AsSpan(utf8Bom.Length));
        // A UTF-16 or UTF-32 byte order mark: rare for libraries, so the reader that knows them all decodes it.
        if (IsWideBom(bytes)) return File.ReadAllText(path);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>From this size on a file is read in chunks (<see cref="ReadText"/>).</summary>
    internal const int ChunkedReadFrom = 4 << 20;

    private const int ReadChunk = 1 << 20;

    private static bool IsWideBom(ReadOnlySpan<byte> bytes) => bytes is [0xFE, 0xFF, ..] or [0xFF, 0xFE, ..] or [0, 0, 0xFE, 0xFF, ..];

    /// <summary>
    /// A UTF-8 file's text read in chunks, or null when it starts with a UTF-16 or UTF-32 byte order mark or
    /// changed between the two passes (the caller then reads it whole).
    /// </summary>
    private static string? ReadChunked(Microsoft.Win32.SafeHandles.SafeFileHandle file, long length)
    {
        var chunk = BibServer.Core.Text.ScratchArrays.Bytes.Rent(ReadChunk);
        try
        {
            var head = RandomAccess.Read(file, chunk.AsSpan(0, 4), 0);
            if (IsWideBom(chunk.AsSpan(0, head))) return null;
            long start = head >= 3 && chunk.AsSpan(0, 3).SequenceEqual((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;

            var decoder = System.Text.Encoding.UTF8.GetDecoder();
            long characters = 0;
            for (var offset = start; offset < length;)
            {
                var read = RandomAccess.Read(file, chunk.AsSpan(0, (int)Math.Min(ReadChunk, length - offset)), offset);
                if (read == 0) return null;
                offset += read;
                characters += decoder.GetCharCount(chunk.AsSpan(0, read), flush: offset >= length);
            }
            if (characters > int.MaxValue) return null;

            var complete = true;
            var text = string.Create((int)characters, 0, (destination, _) =>
            {
                var decoder = System.Text.Encoding.UTF8.GetDecoder();
                var written = 0;
                for (var offset = start; offset < length;)
                {
                    var read = RandomAccess.Read(file, chunk.AsSpan(0, (int)Math.Min(ReadChunk, length - offset)), offset);
                    offset += read;
                    try
                    {
                        decoder.Convert(chunk.AsSpan(0, read), destination[written..], flush: offset >= length, out int used, out int decoded, out bool _);
                        written += decoded;
                        // Bytes left over, or none read: the file is not what the first pass counted.
                        if (used < read || read == 0)
                        {
                            complete = false;
                            return;
                        }
                    }
                    catch (ArgumentException)
                    {
                        complete = false; // No room left at all: the file grew.
                        return;
                    }
                }
                complete = written == destination.Length;
            });
            return complete ? text : null;
        }
        finally
        {
            BibServer.Core.Text.ScratchArrays.Bytes.Return(chunk);
        }
    }

    /// <summary>A library file as its format reads it (text, or bytes), or null when it does not exist or cannot be read.</summary>
    /// <param name="zotero">The collection and library each Zotero database is read with (none when null).</param>
    public static FileContent? ReadLibrary(string path, ZoteroScopes? zotero = null)
    {
        if (!LibraryFormats.Of(path).ReadsFileAsBytes) return ReadFile(path) is { } text ? FileContent.FromText(text) : null;
        try
        {
            return File.Exists(path) && FileGuard.WhyNotReadable(path) is null ? LibraryContent(path, zotero: zotero) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Library files a note has just named, read for the first time (those that cannot be read come as missing).</summary>
    public static ImmutableArray<FileChange> ReadNamedLibraries(IEnumerable<string> paths) =>
        [.. paths.Select(path => FileChange.Of(path, FileChangeKind.Created, ReadLibrary(path)))];

    /// <summary>
    /// Files the client or our watcher says changed, read: the last kind per path counts, ignored folders are
    /// left out, and a file that is gone by now is deleted.
    /// </summary>
    public static async Task<ImmutableArray<FileChange>> ReadChangesAsync(IReadOnlyList<(string Path, FileChangeKind Kind)> changes, ILogger logger, ZoteroScopes? zotero = null)
    {
        var latest = new Dictionary<string, FileChangeKind>(StringComparer.Ordinal);
        foreach (var (path, kind) in changes)
        {
            if (!FileWatching.IsIgnored(path)) latest[Path.GetFullPath(path)] = kind;
        }
        var files = ImmutableArray.CreateBuilder<FileChange>(latest.Count);
        foreach (var (path, kind) in latest)
        {
            FileContent? content = null;
            if (kind != FileChangeKind.Deleted)
            {
                try
                {
                    var info = new FileInfo(path);
                    if (!info.Exists) { files.Add(new FileChange(path, FileChangeKind.Deleted)); continue; }
                    // A FIFO would block the reading of every later change; a file past the limit would run us out of memory.
                    if (FileGuard.WhyNotReadable(path) is { } why) logger.LogWarning("{Path} was not read: {Why}.", path, why);
                    else content = await Task.Run(() => ReadChanged(path, logger, zotero));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning("Could not read {Path}: {Message}", path, e.Message);
                }
            }
            files.Add(FileChange.Of(path, kind, content) with { Time = content is null ? null : WriteTime(path) });
        }
        return files.ToImmutable();
    }

    /// <summary>When a file was last written (UTC), or null when the system cannot say.</summary>
    public static DateTime? WriteTime(string path)
    {
        try
        {
            return File.GetLastWriteTimeUtc(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>When each of these files was last written; a file the system cannot say of is left out.</summary>
    public static ImmutableArray<KeyValuePair<string, DateTime>> WriteTimes(IEnumerable<string> paths) =>
        [.. paths.Select(path => (path, time: WriteTime(path))).Where(p => p.time is not null).Select(p => KeyValuePair.Create(p.path, p.time!.Value))];

    /// <summary>A changed file's content: bytes for a library format that reads bytes, else its text (a note, a text library).</summary>
    private static FileContent ReadChanged(string path, ILogger logger, ZoteroScopes? zotero) =>
        LibraryFormats.ByExtension(path) is { ReadsFileAsBytes: true } ? LibraryContent(path, logger, zotero) : FileContent.FromText(ReadText(path));

    /// <summary>
    /// A library that is read as bytes: a Zotero database's come from a private copy with its log applied
    /// (<see cref="ZoteroFiles.Bytes"/>), never from opening the user's file with SQLite; any other (BibTeX) is
    /// handed over as the open file, which its reader reads a part at a time when it is large (and keeps to read
    /// abstracts from later) or whole.
    /// </summary>
    private static FileContent LibraryContent(string path, ILogger? logger = null, ZoteroScopes? zotero = null) =>
        ZoteroFiles.IsZotero(path)
            ? FileContent.FromBytes(ZoteroFiles.Bytes(path, logger, zotero?.For(path)) ?? throw new FileNotFoundException("The Zotero database is gone.", path))
            : FileContent.FromFile(FileBytes.OpenLibrary(path));
}
