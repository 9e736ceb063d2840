using System.Runtime;

namespace BibServer.Loading;

/// <summary>
/// Runs work that allocates a great deal of memory that stays alive: reading a large library, merging it and
/// building its search index. Every object made then survives, so each collection the runtime would run
/// meanwhile copies all that was built so far and frees nothing; for a 150 MB library that was a fifth of
/// the read. The collector is held off for the work (a no-GC region as large as the work may allocate) and
/// let go after it. A process-wide setting: the server's own IO, never the core.
/// </summary>
internal static class AllocationBurst
{
    /// <summary>Below this many bytes the collector's pauses are too short to matter.</summary>
    private const long Threshold = 16 << 20;

    public static T Run<T>(long bytes, Func<T> work)
    {
        var held = false;
        if (bytes >= Threshold)
        {
            try
            {
                held = GC.TryStartNoGCRegion(bytes);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
            {
                // More than the runtime can hold off for, or another burst holds it: collect as usual.
            }
        }
        try
        {
            return work();
        }
        finally
        {
            // The region ends by itself when the work allocated more than was asked for.
            if (held && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                try { GC.EndNoGCRegion(); } catch (InvalidOperationException) { }
            }
        }
    }
}
