using System.Runtime;
using BibServer.Loading;

namespace BibServer.Server.Tests.Host;

/// <summary>
/// The collector is held off for a burst of lasting allocations and always runs again after it: at once, or,
/// as the language server asks, when the host settles the burst or the hold runs out. Run alone: the
/// collector's mode is the whole process's.
/// </summary>
[CollectionDefinition(nameof(AllocationBurstTests), DisableParallelization = true)]
[Collection(nameof(AllocationBurstTests))]
public class AllocationBurstTests
{
    [Fact]
    public void A_burst_returns_its_result_and_leaves_the_collector_running()
    {
        var kept = AllocationBurst.Run(64L << 20, () => Enumerable.Range(0, 100_000).Select(i => i.ToString()).ToList());

        Assert.Equal(100_000, kept.Count);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_burst_that_allocates_more_than_it_asked_for_still_ends_cleanly()
    {
        var total = AllocationBurst.Run(16L << 20, () =>
        {
            long sum = 0;
            for (var i = 0; i < 64; i++) sum += new byte[1 << 20].Length;
            return sum;
        });

        Assert.Equal(64L << 20, total);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_burst_whose_work_throws_lets_the_collector_go()
    {
        Assert.Throws<InvalidDataException>(() => AllocationBurst.Run<int>(64L << 20, () => throw new InvalidDataException()));
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_held_burst_keeps_the_collector_off_until_it_is_settled()
    {
        var before = AllocationBurst.HoldAfterWork;
        try
        {
            AllocationBurst.HoldAfterWork = TimeSpan.FromMinutes(1);
            var kept = AllocationBurst.Run(256L << 20, () => Enumerable.Range(0, 10_000).Select(i => i.ToString()).ToList());

            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            var collections = GC.CollectionCount(2);
            Assert.True(AllocationBurst.Settle());
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            Assert.True(GC.CollectionCount(2) >= collections + 2, "settling runs the collections that promote what the burst built");
            Assert.False(AllocationBurst.Settle());
            Assert.Equal(10_000, kept.Count);
        }
        finally
        {
            AllocationBurst.HoldAfterWork = before;
            AllocationBurst.Settle();
        }
    }

    [Fact]
    public async Task A_held_burst_that_is_never_settled_is_let_go_when_the_hold_runs_out()
    {
        var before = AllocationBurst.HoldAfterWork;
        try
        {
            AllocationBurst.HoldAfterWork = TimeSpan.FromMilliseconds(200);
            AllocationBurst.Run(256L << 20, () => new byte[1 << 20].Length);

            // The hold's own end is awaited (no polling of the collector's process-wide mode): once it has run,
            // the collector must be running again.
            await AllocationBurst.HoldEnded.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        finally
        {
            AllocationBurst.HoldAfterWork = before;
        }
    }
}
