using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using BibServer.Core.Libraries;
using BibServer.Core.Libraries.Cache;
using Microsoft.Extensions.Logging;

namespace BibServer.Loading;

/// <summary>
/// The on-disk cache of read libraries (docs/architecture.md, "The library cache"): one file per library in
/// the user's cache directory, holding what <see cref="LibraryCache"/> encodes. A cache file is used only when
/// its key is the library file's now (its path, size, time stamp and a hash of its first and last 64 KB), and
/// it was written by this build in this format and is whole; anything else is ignored, and the file is read.
/// It is written after the first diagnostics (<see cref="WriteAll"/>), for libraries read from disk, atomically
/// (a temporary file renamed over the old one), so a half-written cache is never there to be trusted.
/// </summary>
internal static class LibraryCacheFiles
{
    /// <summary>
    /// Where the language server keeps its cache files; null when it keeps none (the default, so that `check`,
    /// `export` and in-process tests leave the user's cache alone: `lsp` sets it, <see cref="FromEnvironment"/>).
    /// </summary>
    public static string? Directory { get; set; }

    /// <summary>The environment variable that turns the cache off (<c>BIBSERVER_CACHE=off</c>).</summary>
    public const string SwitchVariable = "BIBSERVER_CACHE";

    /// <summary>How much of the start and of the end of a library file its key hashes.</summary>
    internal const int BlockSize = 64 << 10;

    /// <summary>
    /// The cache directory this process's environment says: <c>$XDG_CACHE_HOME/bibserver/libraries</c>, else the
    /// platform's (<c>~/Library/Caches</c> on macOS, <c>%LOCALAPPDATA%</c> on Windows, <c>~/.cache</c> elsewhere);
    /// null when <c>BIBSERVER_CACHE</c> is <c>off</c> (or <c>0</c>, <c>false</c>, <c>no</c>).
    /// </summary>
    public static string? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(SwitchVariable) is { } setting
            && setting.Trim().ToLowerInvariant() is "off" or "0" or "false" or "no") return null;
        var cache = UserCacheDirectory();
        if (cache is null) return null;
        return Path.Combine(cache, "bibserver", "libraries");
    }

    /// <summary>
    /// The user's cache directory: <c>$XDG_CACHE_HOME</c> where it is set (on any platform, as the tests and the
    /// benchmark set it), else the platform's: <c>~/Library/Caches</c> on macOS, <c>%LOCALAPPDATA%</c> on Windows,
    /// <c>~/.cache</c> elsewhere; null when the environment names none (no home directory).
    /// </summary>
    public static string? UserCacheDirectory()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(cache)) return cache;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        cache = OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : string.IsNullOrEmpty(home) ? null
            : OperatingSystem.IsMacOS() ? Path.Combine(home, "Library", "Caches")
            : Path.Combine(home, ".cache");
        return string.IsNullOrEmpty(cache) ? null : cache;
    }

    /// <summary>
    /// The cache file of a library: its path hashed, so that any path makes one plain file name. XxHash128, not a
    /// cryptographic hash: a name needs no secrecy, and loading the platform's cryptography took 10 ms of a warm start.
    /// </summary>
    public static string FileOf(string directory, string path) =>
        Path.Combine(directory, Convert.ToHexString(XxHash128.Hash(Encoding.UTF8.GetBytes(path))) + ".cache");

    /// <summary>
    /// Whether a library is cached at all: not a Zotero database (read through its own private copy, with its log
    /// and Better BibTeX's store beside it, which one file's stamp does not cover).
    /// </summary>
    public static bool Caches(string path) => !ZoteroFiles.IsZotero(path);

    /// <summary>
    /// The key of a library file as it is now: its full path, size, last write time and a hash of its first and
    /// last <see cref="BlockSize"/> bytes; null when it cannot be read.
    /// </summary>
    public static byte[]? KeyOf(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            var pathBytes = Encoding.UTF8.GetBytes(path);
            var key = new byte[pathBytes.Length + 8 + 8 + 16];
            pathBytes.CopyTo(key, 0);
            BinaryPrimitives.WriteInt64LittleEndian(key.AsSpan(pathBytes.Length), info.Length);
            BinaryPrimitives.WriteInt64LittleEndian(key.AsSpan(pathBytes.Length + 8), info.LastWriteTimeUtc.Ticks);
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(file);
            var hash = new XxHash128();
            var block = new byte[BlockSize];
            var head = RandomAccess.Read(file, block, 0);
            hash.Append(block.AsSpan(0, head));
            if (length > BlockSize)
            {
                var tail = RandomAccess.Read(file, block, Math.Max(BlockSize, length - BlockSize));
                hash.Append(block.AsSpan(0, tail));
            }
            hash.GetCurrentHash(key.AsSpan(pathBytes.Length + 16));
            return key;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The size of a library's cache file, if the cache is on, the library is cached and it has a cache file (not yet checked).</summary>
    public static long? CacheLength(string path)
    {
        if (Directory is not { } directory || !Caches(path)) return null;
        try
        {
            var file = new FileInfo(FileOf(directory, path));
            return file.Exists ? file.Length : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// The library as its cache holds it, if the cache is on, the library is one that is cached and its cache file
    /// is good for the file as it is now; else null (and the log says why a cache file there was not used).
    /// </summary>
    public static LibraryDocument? TryRead(string path, ILogger? logger = null)
    {
        if (Directory is not { } directory || !Caches(path)) return null;
        var file = FileOf(directory, path);
        try
        {
            if (!File.Exists(file) || KeyOf(path) is not { } key) return null;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            // The handle stays open for the document's deferred fields, which are read through it: a cache file is never
            // changed in place (a new one is renamed over it), so the handle reads this file's bytes for as long as it lives.
            var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.RandomAccess);
            var keepHandle = false;
            try
            {
                var length = RandomAccess.GetLength(handle);
                if (length > int.MaxValue)
                {
                    logger?.LogInformation("The cache of {Path} is not used: it is larger than 2 GB; the library is read.", path);
                    return null;
                }
                // Mapped for the decode (not on Windows, where a mapped file could not be replaced by the next cache's
                // rename), which touches only the strings and papers; unmapped after it. The check reads the file from its
                // handle, and so do the deferred fields (abstracts, rich titles, line starts) when a hover or citeproc asks
                // for one: one read of its bytes, so that a session's memory holds none of the file's pages (through a
                // mapping, every field read brought the pages around it in too: 88-109 MB of a 125 MB cache after a
                // session of hovers). On Windows the file is read whole, and the deferred fields read from that array.
                using var mapped = length > 0 && !OperatingSystem.IsWindows() ? TryMap(handle, length, path, logger) : null;
                var bytes = mapped?.Memory ?? ReadWhole(handle, length);
                LibraryCache.HashRange? hashRange = mapped is null ? null : (hash, offset, count) => HashFromFile(handle, hash, offset, count);
                var deferred = mapped is null ? null : new FileBytes(handle, length);
                var (document, why) = LibraryCache.Decode(bytes, key, LibraryFormats.Of(path), () => FileReading.ReadFile(path) ?? "", hashRange, deferred);
                if (document is null)
                {
                    logger?.LogInformation("The cache of {Path} is not used: {Why}; the library is read.", path, why);
                    return null;
                }
                keepHandle = deferred is not null;
                logger?.LogInformation("Read {Path} from its cache ({Megabytes:F1} MB{How}): {Papers} papers in {Milliseconds} ms.", path, length / 1e6,
                    mapped is null ? "" : ", mapped", document.Papers.Length, clock.ElapsedMilliseconds);
                return document;
            }
            finally
            {
                if (!keepHandle) handle.Dispose();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger?.LogInformation("The cache of {Path} could not be read ({Message}); the library is read.", path, e.Message);
            return null;
        }
    }

    /// <summary>The cache file mapped, or null (and the log says why) where it cannot be (a file system that maps no files): then it is read.</summary>
    private static MappedBytes? TryMap(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length, string path, ILogger? logger)
    {
        try
        {
            return MappedBytes.Map(handle, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            logger?.LogDebug("The cache of {Path} could not be mapped ({Message}); it is read whole.", path, e.Message);
            return null;
        }
    }

    private static byte[] ReadWhole(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length)
    {
        var bytes = new byte[length];
        FileBytes.ReadExactly(handle, bytes, 0);
        return bytes;
    }

    /// <summary>Appends a range of an open file to a hash, read a megabyte at a time (not through a mapping of it, whose pages would stay in memory).</summary>
    private static void HashFromFile(Microsoft.Win32.SafeHandles.SafeFileHandle file, XxHash128 hash, long offset, long count)
    {
        var buffer = BibServer.Core.Text.ScratchArrays.Bytes.Rent(1 << 20);
        try
        {
            while (count > 0)
            {
                var read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, count)), offset);
                if (read == 0) throw new IOException("The cache file ended before its sections did.");
                hash.Append(buffer.AsSpan(0, read));
                offset += read;
                count -= read;
            }
        }
        finally
        {
            BibServer.Core.Text.ScratchArrays.Bytes.Return(buffer);
        }
    }

    /// <summary>The key each library read from disk had just before it was read: what its cache file will be written for.</summary>
    private static readonly ConditionalWeakTable<LibraryDocument, byte[]> ReadFor = [];

    /// <summary>The key of a library about to be read from disk (taken before the read, so a write during it makes the key stale), or null.</summary>
    public static byte[]? KeyBeforeReading(string path) => Directory is not null && Caches(path) ? KeyOf(path) : null;

    /// <summary>Notes that this document was read from its file when it had this key: <see cref="WriteAll"/> caches it.</summary>
    public static void Remember(LibraryDocument document, byte[]? key)
    {
        if (key is not null) ReadFor.AddOrUpdate(document, key);
    }

    private static int _warned;

    /// <summary>
    /// Writes the cache of each of these libraries that was read from its file (not an editor's buffer, not a
    /// cache) and has not changed since; each once. A directory that cannot be written is said once per process,
    /// and the server goes on without a cache.
    /// </summary>
    public static void WriteAll(IEnumerable<LibraryDocument> documents, ILogger? logger = null)
    {
        if (Directory is not { } directory) return;
        lock (Writing) WriteAll(directory, documents, logger);
    }

    /// <summary>One writer at a time: two publishes close together must not both write one library.</summary>
    private static readonly Lock Writing = new();

    private static void WriteAll(string directory, IEnumerable<LibraryDocument> documents, ILogger? logger)
    {
        foreach (var document in documents)
        {
            if (!ReadFor.TryGetValue(document, out var key)) continue;
            ReadFor.Remove(document);
            if (KeyOf(document.Path) is not { } now || !now.AsSpan().SequenceEqual(key))
            {
                logger?.LogDebug("{Path} changed since it was read; its cache is not written.", document.Path);
                continue;
            }
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (Write(directory, document, key) is { } why)
            {
                if (Interlocked.Exchange(ref _warned, 1) == 0)
                    logger?.LogWarning("Libraries are not cached in {Directory}: {Why}. They are read from their files at each start.", directory, why);
                return;
            }
            logger?.LogInformation("Cached {Path} for the next start ({Papers} papers) in {Milliseconds} ms.", document.Path, document.Papers.Length, clock.ElapsedMilliseconds);
        }
    }

    /// <summary>
    /// Deletes the temporary files a server that ended while writing this cache file left (their process is gone):
    /// they are never read, but would pile up.
    /// </summary>
    private static void RemoveLeftovers(string file)
    {
        foreach (var leftover in System.IO.Directory.EnumerateFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + ".*.tmp"))
        {
            var pid = Path.GetFileName(leftover).Split('.') is [.., var id, _, "tmp"] && int.TryParse(id, out var n) ? n : 0;
            if (pid == Environment.ProcessId || IsRunning(pid)) continue;
            try
            {
                File.Delete(leftover);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another server may be removing it too.
            }
        }
    }

    /// <summary>How long a cache file may go unread before it is deleted (the library it is of may be long gone).</summary>
    internal static readonly TimeSpan Unused = TimeSpan.FromDays(30);

    /// <summary>
    /// Deletes the cache files nobody read or wrote for <see cref="Unused"/>: one is kept per library path ever
    /// read, and a library moved or deleted leaves its cache behind.
    /// </summary>
    private static void RemoveUnused(string directory)
    {
        var before = DateTime.UtcNow - Unused;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*.cache"))
        {
            try
            {
                if (file.LastWriteTimeUtc < before && file.LastAccessTimeUtc < before) file.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another server may be reading or removing it.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid <= 0) return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Writes one library's cache file atomically (a temporary file, then renamed); null, or why it could not.</summary>
    internal static string? Write(string directory, LibraryDocument document, byte[] key)
    {
        var file = FileOf(directory, document.Path);
        var temporary = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            RemoveLeftovers(file);
            RemoveUnused(directory);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                LibraryCache.Encode(document, key, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, file, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            try
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Left behind, it does no harm: a temporary file is never read as a cache.
            }
            return e.Message;
        }
    }
}
