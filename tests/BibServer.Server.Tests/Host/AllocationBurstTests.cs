using System.Runtime;
using BibServer.Loading;

namespace BibServer.Server.Tests.Host;

/// <summary>The collector is held off for a burst of lasting allocations and always runs again after it.</summary>
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
}
