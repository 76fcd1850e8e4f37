using System.Diagnostics;
using MeterBridge.Core;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// More than 10 000 hostile payloads (<see cref="HostileCorpus"/>) through the real broker into the AOT binary,
/// then one good full payload: the process is still there, shows exactly that payload, stayed small, and logged
/// a summary, not a line per message. Run with the default size limit (huge payloads refused unread) and with
/// 2 MB (the 1 MB payloads and the 100 000-deep nesting reach the parser).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class HostileCorpusTests
{
    private const int Seed = 8;

    /// <summary>
    /// The highest resident set (VmHWM) allowed. The binary's GC heap is capped at 32 MiB (MeterBridge.csproj), idle
    /// RSS is about 10 MiB; a 1 MB payload is held at most a few times over (MQTTnet's receive buffer, the packet,
    /// the bridge's contiguous copy). 48 MiB leaves room for that and the GC's slack, and still fails long before a
    /// leak or an unbounded queue reaches a GX's memory.
    /// </summary>
    public const long PeakRssBoundKiB = 48 * 1024;

    /// <summary>
    /// Log lines allowed per started minute of the bridge's life, shutdown summaries included; a line per message
    /// would be over 10 000. Repeats are counted per kind of rejection (reason × key: 80 kinds, the 20 ranges of
    /// current, voltage, frequency and energies per location among them), each kind written once and summarised once
    /// per 60 s window: 2 × 80, plus the start and stop lines.
    /// </summary>
    public const int LogLinesPerMinute = 170;

    [Theory]
    [InlineData(null)]
    [InlineData("2000000")]
    public void Ten_thousand_hostile_payloads_leave_the_process_alive_small_and_showing_the_last_good_one(string? maxPayloadSize)
    {
        var corpus = HostileCorpus.Build(Seed);
        Assert.True(corpus.Count >= HostileCorpus.MinimumCount, $"only {corpus.Count} payloads");

        using var rig = new Rig();
        var life = Stopwatch.StartNew();
        var bridge = rig.StartBridge(extra: maxPayloadSize is null ? [] : ["--max-payload-size", maxPayloadSize]);
        using var publisher = new TestPublisher(rig.Broker.Port);
        var first = new FullPayload(1);
        publisher.Publish(first.Bytes);
        rig.WaitForItems(first, bridge);

        var clock = Stopwatch.StartNew();
        publisher.PublishAll(corpus);
        var last = new FullPayload(4242);
        publisher.Publish(last.Bytes);
        // The bridge may still be working through what the broker holds for it: a generous deadline, polled.
        rig.WaitForItems(last, bridge, TimeSpan.FromSeconds(60));
        Console.WriteLine($"corpus of {corpus.Count} ({corpus.Sum(p => (long)p.Length) / 1024} KiB) published and digested in {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.True(bridge.IsRunning, "the bridge exited:\n" + bridge.Log);
        var (rss, peak) = ProcStatus.Memory(bridge.Id);

        // Stopping writes the summaries: with them the log accounts for every message the core would reject.
        bridge.Terminate();
        Assert.True(bridge.WaitForExit(Rig.Deadline), "no exit after SIGTERM:\n" + bridge.Log);
        int expected = ExpectedRejections(corpus, maxPayloadSize);
        int logged = LoggedRejections(bridge.Lines);
        Console.WriteLine($"max-payload-size {maxPayloadSize ?? "default"}: RSS {rss} KiB, VmHWM {peak} KiB, {bridge.Lines.Count} log lines, "
            + $"{logged} rejections logged, {expected} expected");
        Assert.True(peak < PeakRssBoundKiB, $"VmHWM {peak} KiB, bound {PeakRssBoundKiB} KiB");
        int lineBound = LogLinesPerMinute * (1 + (int)life.Elapsed.TotalMinutes);
        Assert.True(bridge.Lines.Count <= lineBound, $"{bridge.Lines.Count} log lines (bound {lineBound}) for {corpus.Count} payloads:\n" + bridge.Log);
        Assert.True(expected == logged, $"the core rejects {expected} of the corpus, the log accounts for {logged}:\n" + bridge.Log);
        Assert.Contains(bridge.Lines, line => line.Contains("rejected a message: not valid JSON"));
        // The default refuses the megabyte payloads unread; with 2 MB every one of them reached the parser.
        if (maxPayloadSize is null) Assert.Contains(bridge.Lines, line => line.Contains("larger than max_payload_size"));
        else Assert.DoesNotContain(bridge.Lines, line => line.Contains("larger than max_payload_size"));
    }

    /// <summary>How many of the corpus the core itself rejects, fed in the same order to one meter with the same limits.</summary>
    private static int ExpectedRejections(List<byte[]> corpus, string? maxPayloadSize)
    {
        var settings = maxPayloadSize is null ? new MeterBridge.Config.Settings() : new MeterBridge.Config.Settings { MaxPayloadSize = int.Parse(maxPayloadSize) };
        var meter = new Meter(settings.Limits);
        return corpus.Count(payload => !meter.Apply("", payload).IsAccepted);
    }

    /// <summary>Rejections in the log: one per first line, plus the count of each summary line.</summary>
    private static int LoggedRejections(IEnumerable<string> lines)
    {
        int count = 0;
        foreach (string line in lines.Where(l => l.Contains("rejected a message")))
        {
            var summary = Summary().Match(line);
            count += summary.Success ? int.Parse(summary.Groups[1].Value) : 1;
        }
        return count;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\((?:repeated|and) (\d+) (?:times|more like it) in the last \d+ s\)$")]
    private static partial System.Text.RegularExpressions.Regex Summary();
}
