using System.Runtime.InteropServices;

namespace BibServer.Loading;

/// <summary>
/// The pages of an assembly's image that were read once and are not read again, handed back to the system. V8 needs
/// the ICU data (ClearScript's <c>ClearScript.V8.ICUData</c> assembly, 10 MB of one resource): ClearScript reads the
/// resource once, when V8 starts, and hands V8 a copy. Read from the image mapped from the executable, those 10 MB
/// stayed resident for the rest of the session, counted in its memory (docs/benchmarks.md). On Linux,
/// <c>madvise(MADV_PAGEOUT)</c> on the image's mapping lets the kernel reclaim them: the mapping is of the executable's
/// file, so nothing is lost (a page read again is read from the file). Elsewhere, or where the kernel does not know
/// the advice (before Linux 5.4), nothing is done.
/// </summary>
internal static partial class ImagePages
{
    /// <summary>madvise's MADV_PAGEOUT: reclaim these pages now.</summary>
    private const int PageOut = 21;

    /// <summary>A mapping larger than this is not one assembly's image: left alone.</summary>
    private const long MaxImage = 64L << 20;

    /// <summary>
    /// Hands back the resident pages of the image that holds the named assembly's resource; the mapping advised, or
    /// null when nothing was done. The resource's stream is opened, not read: it points into the image, which is how
    /// the image is found (an assembly inside a single-file executable has no module handle).
    /// </summary>
    public static unsafe (long Start, long End)? Release(string assemblyName, string resourceName)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == assemblyName);
        using var resource = assembly?.GetManifestResourceStream(resourceName) as UnmanagedMemoryStream;
        if (resource is null) return null;
        try
        {
            if (ProcessMaps.FileMapping((nint)resource.PositionPointer) is not var (start, end) || end - start > MaxImage) return null;
            return madvise((nint)start, (nuint)(end - start), PageOut) == 0 ? (start, end) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport(NativeHeap.Libc, SetLastError = true)]
    private static partial int madvise(nint address, nuint length, int advice);
}
