using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MQTTnet;

namespace MeterBridge.Bench.EndToEnd;

/// <summary>
/// The soak: the AOT binary between a private broker and bus for many minutes at a meter's pace (10 full
/// payloads a second, every value changing), RSS sampled every 10 s. A leak shows as a rising curve: the
/// criterion compares the highest RSS of the last window with that of the first window after the warm-up.
/// </summary>
public static class Soak
{
    public const int Rate = 10;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How much the last window's highest RSS may exceed the first window's. 2 MiB: the GC's own breathing
    /// (gen0 budget, decommit timing) moves RSS by a few hundred KiB; a leak of only 120 bytes per message
    /// already adds 2 MiB over 30 minutes at 10/s, so anything that keeps memory per message fails here.
    /// </summary>
    public const long FlatBoundKiB = 2048;

    public sealed record Sample(double Seconds, long RssKiB, long PeakKiB);

    public sealed record Minute(int Index, long RssMinKiB, long RssMaxKiB, long PeakKiB);

    public static async Task<int> RunAsync(string root, string binary, double minutes)
    {
        const string topic = "bench/soak";
        const string service = "com.victronenergy.grid.mqtt_grid_78";
        using var rig = await BenchRig.StartAsync("soak", service);
        var recorder = rig.Recorder;
        var mqtt = rig.Publisher;
        var bridge = rig.StartBridge(binary, topic, 78);
        Processes.WaitUntil(() => Processes.LastLines(bridge).Contains("subscribed to") || bridge.HasExited, "the bridge did not subscribe");
        var meter = new ProcessMeter(bridge.Id);
        double cpuBefore = meter.CpuMicrosecondsFromStat();

        var samples = new List<Sample>();
        long sent = 0;
        double frequency = Stopwatch.Frequency;
        long start = Stopwatch.GetTimestamp();
        long end = start + (long)(minutes * 60 * frequency);
        long nextSample = start;
        Console.WriteLine($"soak: {minutes} min at {Rate}/s, RSS every {SampleEvery.TotalSeconds:0} s");
        while (Stopwatch.GetTimestamp() < end)
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= nextSample)
            {
                if (bridge.HasExited) throw new InvalidOperationException("the bridge exited: " + Processes.LastLines(bridge));
                var (rss, peak) = meter.Memory();
                samples.Add(new Sample((now - start) / frequency, rss, peak));
                nextSample += (long)(SampleEvery.TotalSeconds * frequency);
                if (samples.Count % 6 == 1) Console.WriteLine($"  {(now - start) / frequency / 60,5:0.0} min  RSS {rss} KiB  VmHWM {peak} KiB  sent {sent}");
            }
            long due = start + (long)(sent * frequency / Rate);
            if (now < due) { Thread.Sleep(TimeSpan.FromTicks(Math.Min((due - now) * TimeSpan.TicksPerSecond / Stopwatch.Frequency, TimeSpan.TicksPerSecond))); continue; }
            await mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Payload(sent)).Build());
            sent++;
        }
        var (lastRss, lastPeak) = meter.Memory();
        samples.Add(new Sample(minutes * 60, lastRss, lastPeak));
        double cpuUsed = meter.CpuMicrosecondsFromStat() - cpuBefore;

        // The last message's power on the bus proves the bridge kept up to the end.
        double lastPower = sent - 1;
        Processes.WaitUntil(() => recorder.Since(0).Exists(s => s.Power == lastPower), "the last value never reached D-Bus");
        if (bridge.HasExited) throw new InvalidOperationException("the bridge exited: " + Processes.LastLines(bridge));

        var table = Minutes(samples);
        double warmUp = Math.Min(2, minutes / 5), window = Math.Min(10, (minutes - warmUp) / 2);
        long firstMax = samples.Where(s => s.Seconds >= warmUp * 60 && s.Seconds <= (warmUp + window) * 60).Max(s => s.RssKiB);
        long lastMax = samples.Where(s => s.Seconds >= (minutes - window) * 60).Max(s => s.RssKiB);
        long growth = lastMax - firstMax;
        bool flat = growth <= FlatBoundKiB;

        Console.WriteLine();
        Console.WriteLine("| minute | RSS min MiB | RSS max MiB | VmHWM MiB |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var m in table) Console.WriteLine($"| {m.Index} | {MiB(m.RssMinKiB)} | {MiB(m.RssMaxKiB)} | {MiB(m.PeakKiB)} |");
        Console.WriteLine();
        Console.WriteLine($"sent {sent} messages, {cpuUsed / sent:0.0} µs CPU per message, {recorder.Count} ItemsChanged signals");
        Console.WriteLine($"flat curve: max RSS of the last {window:0.#} min {MiB(lastMax)} MiB − of minutes {warmUp:0.#}–{warmUp + window:0.#} {MiB(firstMax)} MiB " +
            $"= {growth} KiB (bound {FlatBoundKiB} KiB): {(flat ? "PASS" : "FAIL")}");

        string json = Path.Combine(root, "bench/results/soak.json");
        Directory.CreateDirectory(Path.GetDirectoryName(json)!);
        File.WriteAllText(json, JsonSerializer.Serialize(new
        {
            Date = DateTime.UtcNow.ToString("o"),
            Machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
            Minutes = minutes,
            Rate,
            Sent = sent,
            Signals = recorder.Count,
            CpuMicrosecondsPerMessage = cpuUsed / sent,
            WarmUpMinutes = warmUp,
            WindowMinutes = window,
            FirstWindowMaxRssKiB = firstMax,
            LastWindowMaxRssKiB = lastMax,
            GrowthKiB = growth,
            FlatBoundKiB,
            Flat = flat,
            PeakRssKiB = lastPeak,
            MinutesTable = table,
            Samples = samples,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"JSON: {Path.GetRelativePath(root, json)}");
        return flat ? 0 : 1;
    }

    /// <summary>A full payload (every key, total and three phases) whose values all change with the counter.</summary>
    private static byte[] Payload(long i)
    {
        double p = i, v = 225 + i % 10, f = 49.9 + i % 3 * 0.05, e = 1000 + i * 0.001;
        string Phase(int n) => $"{{\"power\":{p / 3 + n},\"voltage\":{v + n},\"current\":{(p / 3 + n) / (v + n):0.###},\"frequency\":{f},\"power_factor\":0.9{n},\"energy_forward\":{e + n:0.###},\"energy_reverse\":{n}}}";
        return Encoding.UTF8.GetBytes(
            $"{{\"grid\":{{\"power\":{p},\"voltage\":{v},\"current\":{p / v:0.###},\"frequency\":{f},\"power_factor\":0.95,\"energy_forward\":{e:0.###},\"energy_reverse\":3,\"L1\":{Phase(1)},\"L2\":{Phase(2)},\"L3\":{Phase(3)}}}}}");
    }

    private static List<Minute> Minutes(List<Sample> samples)
    {
        int lastMinute = (int)Math.Ceiling(samples[^1].Seconds / 60) - 1; // the closing sample belongs to the last minute
        return [.. samples.GroupBy(s => Math.Min((int)(s.Seconds / 60), lastMinute)).Select(g => new Minute(g.Key, g.Min(s => s.RssKiB), g.Max(s => s.RssKiB), g.Max(s => s.PeakKiB)))];
    }

    private static string MiB(long kib) => (kib / 1024.0).ToString("0.00");
}
