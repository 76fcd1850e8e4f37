using MeterBridge.Core;
using Xunit;

namespace MeterBridge.Tests.Core;

public class StaleTimerTests
{
    [Fact]
    public void Stale_after_the_timeout_counted_from_the_last_accepted_message()
    {
        var timer = new StaleTimer(60, frequency: 1);
        Assert.False(timer.IsStale(1000));
        timer.Accepted(100);
        Assert.False(timer.IsStale(159));
        Assert.True(timer.IsStale(160));
        timer.Accepted(160);
        Assert.False(timer.IsStale(200));
        Assert.Equal(20, timer.TicksLeft(200));
    }

    [Fact]
    public void A_timeout_of_zero_never_goes_stale()
    {
        var timer = new StaleTimer(0, frequency: 1);
        timer.Accepted(0);
        Assert.False(timer.IsStale(long.MaxValue / 2));
        Assert.Equal(-1, timer.TicksLeft(5));
    }
}
