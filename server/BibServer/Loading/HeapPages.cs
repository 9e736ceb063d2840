using System.Runtime.InteropServices;

namespace BibServer.Loading;

/// <summary>
/// The collector's heap asked to be backed by huge pages (Linux's transparent huge pages, <c>madvise(MADV_HUGEPAGE)</c>)
/// where the system leaves that to each program (<c>/sys/kernel/mm/transparent_hugepage/enabled</c> is
/// <c>madvise</c>, as on Debian and Ubuntu). A warm start makes some 115 MB of papers and strings at once, and every
/// 4 KB page of it was a fault that the kernel cleared (touching 115 MB of new memory took 59 ms here in 4 KB pages,
/// 11 ms in huge pages); with huge pages that is one fault for 2 MB (docs/benchmarks.md has the start-up's figures).
/// Where the system says <c>always</c> or <c>never</c>, or elsewhere than Linux, nothing changes.
/// </summary>
internal static partial class HeapPages
{
    /// <summary>madvise's MADV_HUGEPAGE.</summary>
    private const int HugePage = 14;

    /// <summary>
    /// Advises the parts of the heap's range still only reserved: around the address of an object the collector just
    /// made, the anonymous mappings one after the other that the collector reserved (inaccessible, and kept out of core
    /// dumps: "---p", "dd"). The collector commits parts of them as the heap grows, and what it commits keeps the
    /// advice. Thread stacks and the C library's arenas, which may adjoin the heap, are left alone: a thread's few
    /// kilobytes of stack must not become 2 MB. Returns the range the advised mappings span, or null when nothing was done.
    /// </summary>
    public static (long Start, long End)? AdviseHuge()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var probe = GCHandle.Alloc(new byte[64], GCHandleType.Pinned);
        try
        {
            var advised = ProcessMaps.AnonymousRun(probe.AddrOfPinnedObject())
                .Where(m => m.Permissions.StartsWith("---", StringComparison.Ordinal) && m.HasFlag("dd") && m.End - m.Start >= MinReserved)
                .Where(m => madvise((nint)m.Start, (nuint)(m.End - m.Start), HugePage) == 0)
                .ToList();
            return advised.Count == 0 ? null : (advised.Min(m => m.Start), advised.Max(m => m.End));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        finally
        {
            probe.Free();
        }
    }

    /// <summary>A reserved mapping smaller than a huge page cannot take one.</summary>
    private const long MinReserved = 2 << 20;

    [LibraryImport(NativeHeap.Libc, SetLastError = true)]
    private static partial int madvise(nint address, nuint length, int advice);
}
