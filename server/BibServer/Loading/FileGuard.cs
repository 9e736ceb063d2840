using System.Runtime.InteropServices;

namespace BibServer.Loading;

/// <summary>
/// Which files are read at all. Opening a FIFO or a device blocks (or never ends), and a file of a gigabyte
/// runs the server out of memory and takes every other library with it; such a file is refused before it is
/// opened, and the reason becomes one diagnostic on that file while the other libraries are served.
/// </summary>
internal static class FileGuard
{
    /// <summary>The size limit when no setting gives one: four times the largest library measured (docs/benchmarks.md).</summary>
    public const long DefaultMaxMegabytes = 512;

    private static long _maxBytes = MaxBytesFromEnvironment() ?? DefaultMaxMegabytes << 20;

    /// <summary>
    /// The largest file read, in bytes: the <c>bibserver.maxFileSizeMB</c> setting in the editor, or the
    /// <c>BIBSERVER_MAX_FILE_SIZE_MB</c> environment variable for <c>bibserver check</c>. One value for the
    /// process, since every read of the process goes through <see cref="WorkspaceLoader.ReadFile"/>.
    /// </summary>
    public static long MaxBytes
    {
        get => Interlocked.Read(ref _maxBytes);
        set => Interlocked.Exchange(ref _maxBytes, value);
    }

    private static long? MaxBytesFromEnvironment() =>
        long.TryParse(Environment.GetEnvironmentVariable("BIBSERVER_MAX_FILE_SIZE_MB"), out var mb) && mb > 0 ? mb << 20 : null;

    /// <summary>
    /// Why a file that exists cannot be read in reasonable bounds (not a regular file, larger than the limit,
    /// not readable), or null when it can. Never opens a file that is not a regular one.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="tryOpening">Whether to open it to see that it can be read (for a reason to report, not before every read).</param>
    public static string? WhyNotReadable(string path, bool tryOpening = false)
    {
        var kind = KindOf(path);
        if (kind is FileKind.Missing or FileKind.Directory) return null;
        if (kind == FileKind.Special) return "it is not a regular file but a pipe, a socket or a device, and reading one could wait forever";
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "it cannot be read: " + e.Message;
        }
        if (length > MaxBytes)
            return $"it is {Megabytes(length)}, larger than the {Megabytes(MaxBytes)} BibServer reads (the setting bibserver.maxFileSizeMB, or BIBSERVER_MAX_FILE_SIZE_MB for `bibserver check`, raises the limit)";
        if (!tryOpening) return null;
        try
        {
            using var _ = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (UnauthorizedAccessException)
        {
            return "it cannot be read: permission denied";
        }
        catch (IOException e)
        {
            return "it cannot be read: " + e.Message;
        }
        return null;
    }

    private static string Megabytes(long bytes) => bytes >= 10L << 20 ? $"{bytes >> 20} MB" : $"{bytes / 1024.0 / 1024.0:0.#} MB";

    private enum FileKind
    {
        Missing,
        Regular,
        Directory,
        Special,
    }

    /// <summary>What a path is, following links. On Unix from stat(2), through .NET's own native library.</summary>
    private static FileKind KindOf(string path)
    {
        if (Directory.Exists(path)) return FileKind.Directory;
        if (!File.Exists(path)) return FileKind.Missing;
        if (OperatingSystem.IsWindows()) return FileKind.Regular;
        try
        {
            if (Stat(path, out var status) != 0) return FileKind.Regular;
            return (status.Mode & 0xF000) switch
            {
                0x8000 => FileKind.Regular,
                0x4000 => FileKind.Directory,
                _ => FileKind.Special,
            };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Without stat, a special file cannot be told apart; regular files are the rule.
            return FileKind.Regular;
        }
    }

    /// <summary>The head of System.Native's FileStatus (flags, then the mode), with room for the rest of it.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct NativeFileStatus
    {
        public int Flags;
        public int Mode;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out NativeFileStatus status);
}
