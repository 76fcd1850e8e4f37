using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MeterBridge.Bench.EndToEnd;
using MQTTnet;
using MQTTnet.Protocol;

// End to end: a private bus and broker, the published AOT binary between them, K messages at each rate, each
// with a unique power value, and our own D-Bus client timing every ItemsChanged.
// Usage: dotnet run -c Release --project bench/EndToEnd -- [--quick]
//        dotnet run -c Release --project bench/EndToEnd -- --soak [minutes]   (default 30; see Soak.cs)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
bool quick = args.Contains("--quick");
int[] rates = [1, 10, 100, 1000, 5000];
// K per rate: 5 s each (the 1/s rate gets 5 samples); --quick about 1 s each.
int Messages(int rate) => quick ? Math.Max(3, rate) : Math.Max(5, rate * 5);

string root = RepoRoot();
string binary = Path.Combine(root, "out/linux-x64/meterbridge");
if (!File.Exists(binary))
{
    Console.Error.WriteLine($"{binary} is missing: dotnet publish MeterBridge.csproj -c Release -r linux-x64 -o out/linux-x64");
    return 2;
}
int soakAt = Array.IndexOf(args, "--soak");
if (soakAt >= 0)
{
    double minutes = soakAt + 1 < args.Length && double.TryParse(args[soakAt + 1], out double m) ? m : 30;
    return await Soak.RunAsync(root, binary, minutes);
}

const string topic = "bench/meter";
const string service = "com.victronenergy.grid.mqtt_grid_77";
double frequency = Stopwatch.Frequency;
double Ms(long ticks) => ticks * 1000.0 / frequency;

using (var rig = await BenchRig.StartAsync("bench", service))
{
    var recorder = rig.Recorder;
    var mqtt = rig.Publisher;

    // A retained first message, so the bridge registers as soon as it has subscribed: the start time is
    // spawn → connect → subscribe → first message → name on the bus, with nothing of ours in between.
    await mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("{\"grid\":{\"power\":0.25}}")
        .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    long spawned = Stopwatch.GetTimestamp();
    var bridge = rig.StartBridge(binary, topic, 77, "--timeout", "0");
    Processes.WaitUntil(() => recorder.NameOwnedAt != 0 || bridge.HasExited, "the bridge did not take its name");
    if (bridge.HasExited) throw new InvalidOperationException("the bridge exited: " + Processes.LastLines(bridge));
    double startMs = Ms(recorder.NameOwnedAt - spawned);

    var meter = new ProcessMeter(bridge.Id);
    Thread.Sleep(1000);
    var (idleRss, idlePeak) = meter.Memory();

    var results = new List<RateResult>();
    long nextValue = 1;
    foreach (int rate in rates)
    {
        results.Add(RunRate(rate, Messages(rate), ref nextValue));
        Thread.Sleep(300);
    }
    if (bridge.HasExited) throw new InvalidOperationException("the bridge exited: " + Processes.LastLines(bridge));

    long binaryBytes = new FileInfo(binary).Length;
    Print(startMs, idleRss, idlePeak, binaryBytes, results);
    string json = Path.Combine(root, "bench/results/end-to-end.json");
    Directory.CreateDirectory(Path.GetDirectoryName(json)!);
    File.WriteAllText(json, JsonSerializer.Serialize(new
    {
        Date = DateTime.UtcNow.ToString("o"),
        Quick = quick,
        Machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
        StartMs = startMs,
        IdleRssKiB = idleRss,
        IdlePeakRssKiB = idlePeak,
        BinaryBytes = binaryBytes,
        Rates = results,
    }, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"\nJSON: {Path.GetRelativePath(root, json)}");
    return 0;

    RateResult RunRate(int rate, int count, ref long value)
    {
        long first = value;
        var sent = new long[count];
        var messages = new MqttApplicationMessage[count];
        for (int i = 0; i < count; i++)
            messages[i] = new MqttApplicationMessageBuilder().WithTopic(topic)
                .WithPayload(Encoding.UTF8.GetBytes($"{{\"grid\":{{\"power\":{first + i}}}}}")).Build();
        value += count;

        int signalsBefore = recorder.Count;
        double cpuStat = meter.CpuMicrosecondsFromStat(), cpuSched = meter.CpuMicrosecondsFromSchedstat();
        long start = Stopwatch.GetTimestamp();
        double interval = frequency / rate;
        for (int i = 0; i < count; i++)
        {
            long due = start + (long)(i * interval);
            // Sleep while more than half a millisecond early; at 5 000/s this sends in small bursts, each stamped on its own.
            while (due - Stopwatch.GetTimestamp() > frequency / 2000) Thread.Sleep(1);
            sent[i] = Stopwatch.GetTimestamp();
            mqtt.PublishAsync(messages[i]).GetAwaiter().GetResult();
        }
        // The burst is over: wait for the newest value (or give up after 2 s), then a little for stragglers.
        double last = first + count - 1;
        var settle = Stopwatch.StartNew();
        while (settle.ElapsedMilliseconds < 2000 && !recorder.Since(signalsBefore).Exists(s => s.Power == last)) Thread.Sleep(1);
        Thread.Sleep(100);
        double cpuStatUsed = meter.CpuMicrosecondsFromStat() - cpuStat;
        double cpuSchedUsed = meter.CpuMicrosecondsFromSchedstat() - cpuSched;
        var (rss, peak) = meter.Memory();

        var arrivals = new Dictionary<long, long>();
        var signals = recorder.Since(signalsBefore);
        foreach (var (power, arrived) in signals)
        {
            long v = (long)Math.Round(power);
            if (v >= first && v < first + count && power == v) arrivals.TryAdd(v, arrived);
        }
        var latencies = arrivals.Select(a => Ms(a.Value - sent[a.Key - first])).Order().ToArray();
        double? newestAge = arrivals.TryGetValue(first + count - 1, out long newest) ? Ms(newest - sent[count - 1]) : null;
        return new RateResult(rate, count, signals.Count, (double)arrivals.Count / count,
            Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99), latencies.Length > 0 ? latencies[^1] : double.NaN,
            newestAge, cpuStatUsed / count, cpuSchedUsed / count, rss, peak);
    }
}

static double Percentile(double[] sorted, double q) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

static void Print(double startMs, long idleRss, long idlePeak, long binaryBytes, List<RateResult> results)
{
    static string MiB(long kib) => (kib / 1024.0).ToString("0.0");
    Console.WriteLine($"Start (spawn → name on the bus, first message retained): {startMs:0} ms");
    Console.WriteLine($"Idle RSS: {MiB(idleRss)} MiB (peak {MiB(idlePeak)} MiB); binary {binaryBytes / 1048576.0:0.00} MiB");
    Console.WriteLine();
    Console.WriteLine("| msg/s | sent | signals | delivered | p50 ms | p90 ms | p99 ms | max ms | newest after burst ms | CPU µs/msg (stat) | CPU µs/msg (schedstat) | RSS MiB | peak RSS MiB |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in results)
        Console.WriteLine($"| {r.Rate} | {r.Sent} | {r.Signals} | {r.Delivered:P1} | {r.LatencyP50:0.00} | {r.LatencyP90:0.00} | {r.LatencyP99:0.00} | {r.LatencyMax:0.00} | " +
            $"{(r.NewestAge is double age ? age.ToString("0.00") : "not seen")} | {r.CpuPerMessageStat:0.0} | {r.CpuPerMessageSchedstat:0.0} | {MiB(r.Rss)} | {MiB(r.PeakRss)} |");
}

static string RepoRoot()
{
    foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MeterBridge.csproj"))) return dir.FullName;
    throw new InvalidOperationException("run from inside the repository");
}
