using System.Runtime.InteropServices;

namespace BibServer.Loading;

/// <summary>
/// The C library's allocator, which V8, ClearScript and the runtime's own native memory come from. By default
/// glibc gives each thread that allocates an arena of its own, up to eight per core, and keeps what is freed
/// in them: at 100,000 papers a session ended with 24 MB resident in seven arenas, 12 MB of it gained after
/// start-up. With two arenas, and a trim once a burst of native work is over (the citation engine warmed up
/// or collected, the libraries settled), a cold session at 100,000 papers peaked 7-11 MB lower; a warm one
/// within the noise (docs/benchmarks.md). Elsewhere than glibc (musl, macOS, Windows) both calls do nothing.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>glibc by its soname: no other C library has it, and "libc" alone is found only by the runtime's probing.</summary>
    internal const string Libc = "libc.so.6";

    /// <summary>mallopt's M_ARENA_MAX.</summary>
    private const int ArenaMax = -8;

    private static readonly bool Glibc = OperatingSystem.IsLinux() && Probe();

    /// <summary>At most two arenas: called first thing, before the threads that would make more start.</summary>
    public static void LimitArenas()
    {
        if (Glibc) mallopt(ArenaMax, 2);
    }

    /// <summary>Gives back to the system the free memory at the ends and inside of every arena.</summary>
    public static void Trim()
    {
        if (Glibc) malloc_trim(0);
    }

    private static bool Probe()
    {
        try
        {
            // gnu_get_libc_version is glibc's own, should some other library answer to the name.
            return gnu_get_libc_version() != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport(Libc)]
    private static partial nint gnu_get_libc_version();

    [LibraryImport(Libc)]
    private static partial int mallopt(int parameter, int value);

    [LibraryImport(Libc)]
    private static partial int malloc_trim(nuint pad);
}
