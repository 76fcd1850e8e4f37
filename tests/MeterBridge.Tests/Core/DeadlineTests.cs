using System.Diagnostics;
using MeterBridge.Core;
using Xunit;

namespace MeterBridge.Tests.Core;

public class DeadlineTests
{
    [Fact]
    public void A_deadline_a_year_away_waits_an_hour_not_zero()
    {
        // ticks × 1000 overflowed a long for this deadline and made a wait of 0: a busy loop.
        long now = 1_000_000;
        long year = (long)(31_536_000d * Stopwatch.Frequency);
        Assert.Equal(Deadline.LongestWaitMs, Deadline.MillisecondsFrom(now, now + year));
    }

    [Fact]
    public void Waits_round_up_and_never_go_below_zero()
    {
        long now = 5_000_000;
        Assert.Equal(Timeout.Infinite, Deadline.MillisecondsFrom(now, long.MaxValue));
        Assert.Equal(0, Deadline.MillisecondsFrom(now, now - 10));
        Assert.Equal(0, Deadline.MillisecondsFrom(now, now));
        Assert.Equal(101, Deadline.MillisecondsFrom(now, now + Stopwatch.Frequency / 10));
        Assert.Equal(2, Deadline.MillisecondsFrom(now, now + 1));
    }
}
