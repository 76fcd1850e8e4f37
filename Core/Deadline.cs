using System.Diagnostics;

namespace MeterBridge.Core;

/// <summary>Turns a Stopwatch deadline into the milliseconds a wait takes.</summary>
internal static class Deadline
{
    /// <summary>The longest single wait: a far deadline (a timeout of a year) is waited for in steps.</summary>
    public const int LongestWaitMs = 3_600_000;

    /// <summary>
    /// Milliseconds from now to due, rounded up and one more (a timer may fire a little early), at most an hour;
    /// infinite for long.MaxValue. In floating point: ticks × 1000 overflows a long for deadlines more than about
    /// 100 days away, which once made a wait of 0 and a busy loop.
    /// </summary>
    public static int MillisecondsFrom(long now, long due)
    {
        if (due == long.MaxValue) return Timeout.Infinite;
        if (due <= now) return 0;
        double ms = (double)(due - now) * 1000 / Stopwatch.Frequency;
        return (int)Math.Min(Math.Ceiling(ms) + 1, LongestWaitMs);
    }
}
