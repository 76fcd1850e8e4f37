using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// 1 000 and then 10 000 full payloads a second through the broker to the binary: memory stays bounded, the
/// newest value wins and arrives promptly (nothing queues), and a message costs no more CPU at 10 000/s than
/// at 1 000/s (a ratio within one run, never an absolute time: the machine is shared).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LoadTests
{
    private const int SlowRate = 1_000;
    private const int FastRate = 10_000;
    private static readonly TimeSpan SlowPhase = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FastPhase = TimeSpan.FromSeconds(10);

    /// <summary>The newest value must be on D-Bus this soon after the publisher's last message.</summary>
    private static readonly TimeSpan NewestWithin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// CPU per message at 10 000/s may be at most this many times that at 1 000/s. Coalescing makes it cheaper
    /// (one D-Bus signal carries many messages); 3× is the generous margin for a shared, noisy machine.
    /// </summary>
    private const double CpuRatioBound = 3.0;

    /// <summary>RSS may grow by at most this much in the 2 s after the burst, when nothing arrives any more.</summary>
    private const long SettleGrowthBoundKiB = 1024;

    [Fact]
    public void Ten_thousand_messages_a_second_for_ten_seconds_keep_memory_bounded_and_the_newest_value_wins()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();
        using var publisher = new TestPublisher(rig.Broker.Port);
        long counter = 1;
        var first = new FullPayload(counter++);
        publisher.Publish(first.Bytes);
        rig.WaitForItems(first, bridge);

        var slow = Phase(rig, publisher, bridge, SlowRate, SlowPhase, ref counter);
        var (_, peakBefore) = ProcStatus.Memory(bridge.Id);
        var fast = Phase(rig, publisher, bridge, FastRate, FastPhase, ref counter);

        var (rssAfter, peak) = ProcStatus.Memory(bridge.Id);
        Thread.Sleep(2000); // nothing arrives now: a queue being drained would still grow or hold memory
        var (rssSettled, _) = ProcStatus.Memory(bridge.Id);
        double ratio = fast.CpuPerMessage / slow.CpuPerMessage;
        Console.WriteLine($"{slow}\n{fast}\nVmHWM {peakBefore} KiB after the 1k phase, {peak} KiB after the 10k phase; RSS {rssAfter} KiB, 2 s later {rssSettled} KiB; "
            + $"CPU per message 10k/1k = {ratio:0.00}");

        Assert.True(bridge.IsRunning, bridge.Log);
        // A loaded machine may not reach 10 000/s: the assertions use the achieved rate, which must at least be
        // well above the slow phase's for the comparison to mean anything.
        Assert.True(fast.Achieved >= 2 * slow.Achieved, $"the publisher reached only {fast.Achieved:0}/s (slow phase {slow.Achieved:0}/s)");
        Assert.True(fast.NewestAfter < NewestWithin, $"the newest value took {fast.NewestAfter.TotalSeconds:0.00} s after the burst");
        Assert.True(peak < HostileCorpusTests.PeakRssBoundKiB, $"VmHWM {peak} KiB, bound {HostileCorpusTests.PeakRssBoundKiB} KiB");
        Assert.True(rssSettled - rssAfter <= SettleGrowthBoundKiB, $"RSS grew from {rssAfter} to {rssSettled} KiB after the burst");
        Assert.True(ratio <= CpuRatioBound, $"CPU per message at {fast.Achieved:0}/s is {ratio:0.00}× that at {slow.Achieved:0}/s\n{slow}\n{fast}");
    }

    private sealed record PhaseResult(int Rate, long Sent, double Achieved, long CpuTicks, TimeSpan NewestAfter)
    {
        /// <summary>CPU ticks (10 ms) per message.</summary>
        public double CpuPerMessage => (double)CpuTicks / Sent;

        public override string ToString() =>
            $"target {Rate}/s: sent {Sent} at {Achieved:0}/s, CPU {CpuTicks * 10} ms = {CpuTicks * 10_000.0 / Sent:0.0} µs/message, newest on D-Bus {NewestAfter.TotalMilliseconds:0} ms after the last";
    }

    /// <summary>
    /// Full payloads at <paramref name="rate"/> for <paramref name="length"/>, then waits for the newest one on
    /// D-Bus. CPU is counted from the first message until the newest is shown.
    /// </summary>
    private static PhaseResult Phase(Rig rig, TestPublisher publisher, BridgeProcess bridge, int rate, TimeSpan length, ref long counter)
    {
        long cpuBefore = ProcStatus.CpuTicks(bridge.Id);
        long total = (long)(rate * length.TotalSeconds);
        long firstCounter = counter;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < total; i++)
        {
            // Ahead of time by more than a millisecond: sleep; behind: send at once (bursts catch up).
            while (i * 1000.0 / rate - clock.Elapsed.TotalMilliseconds > 1) Thread.Sleep(1);
            bool last = i == total - 1;
            // The last at QoS 1: it must reach the broker, whatever the broker may drop of the flood.
            publisher.Publish(new FullPayload(counter++).Bytes, qos1: last);
        }
        double achieved = total / clock.Elapsed.TotalSeconds;
        var sentAll = Stopwatch.StartNew();
        var newest = new FullPayload(counter - 1);
        rig.WaitForItems(newest, bridge, TimeSpan.FromSeconds(15));
        var newestAfter = sentAll.Elapsed;
        long cpu = ProcStatus.CpuTicks(bridge.Id) - cpuBefore;
        Assert.Equal(firstCounter + total, counter);
        return new PhaseResult(rate, total, achieved, cpu, newestAfter);
    }
}
