using System.Runtime;

namespace BibServer.Loading;

/// <summary>
/// Runs work that allocates a great deal of memory that stays alive: reading a large library, merging it and
/// building its search index. Every object made then survives, so each collection the runtime would run
/// meanwhile copies all that was built so far and frees nothing; for a 150 MB library that was a fifth of
/// the read. The collector is held off for the work (a no-GC region as large as the work may allocate) and
/// let go after it. A process-wide setting: the server's own IO, never the core.
/// </summary>
/// <remarks>
/// What was built then is all in the youngest generation when the collector is let go, and moving it to the
/// oldest takes collections of a tenth of a second each for a 150 MB library. Left to the runtime, they come
/// when something next allocates: the first right after the load, before the first diagnostics, and a later
/// one measured 0.34 s inside a completion request. The language server therefore keeps the collector held
/// off after the work (<see cref="HoldAfterWork"/>) and lets it go with <see cref="Settle"/> once the user has
/// the first answer, running those collections then.
/// </remarks>
internal static class AllocationBurst
{
    /// <summary>Below this many bytes the collector's pauses are too short to matter.</summary>
    private const long Threshold = 16 << 20;

    /// <summary>
    /// How long the collector stays held off after a burst's work, waiting for <see cref="Settle"/>; zero (the
    /// default, for the command line) lets it go at the end of the work. Held off, the process allocates from
    /// the room the burst asked for; when that is used up the runtime lets the collector go by itself.
    /// </summary>
    public static TimeSpan HoldAfterWork { get; set; } = TimeSpan.Zero;

    /// <summary>Whether a burst held the collector off since the last <see cref="Settle"/>.</summary>
    private static int _unsettled;

    private static Task _holdEnded = Task.CompletedTask;

    /// <summary>
    /// Completes when the hold of the last held burst has run out and the collector was let go (at once when
    /// nothing is held): what a test awaits instead of watching the process's collector mode.
    /// </summary>
    internal static Task HoldEnded => Volatile.Read(ref _holdEnded);

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
            if (held)
            {
                Volatile.Write(ref _unsettled, 1);
                var hold = HoldAfterWork;
                if (hold <= TimeSpan.Zero) LetGo();
                else Volatile.Write(ref _holdEnded, Task.Delay(hold).ContinueWith(_ => Settle(), TaskScheduler.Default));
            }
        }
    }

    /// <summary>
    /// Lets the collector go if a burst holds it, and moves what the bursts since the last call built into the
    /// oldest generation now, so that no request later pays for it. Returns whether there was anything to settle.
    /// </summary>
    public static bool Settle()
    {
        if (Interlocked.Exchange(ref _unsettled, 0) == 0) return false;
        LetGo();
        // Two full collections that do not compact: the first moves the youngest generation's survivors up one
        // generation and the middle one's into the oldest, the second the rest. Measured against other ways on
        // the benchmark (docs/benchmarks.md): collections of the young generations only, started with the
        // collector's background mode on, came out as a background collection plus one young collection of
        // 0.36 s; a compacting full collection left a young one of 50 ms to come.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
        return true;
    }

    private static void LetGo()
    {
        // The region ends by itself when the process allocated more than was asked for.
        if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion) return;
        try { GC.EndNoGCRegion(); } catch (InvalidOperationException) { }
    }
}
