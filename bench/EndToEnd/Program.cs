using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MeterBridge.Bench.EndToEnd;
using MQTTnet;
using MQTTnet.Protocol;

// End to end: a private bus and broker, the published AOT binary between them, K full 3-phase messages at each rate,
// each with a unique power value, and our own D-Bus client timing every ItemsChanged. Every rate runs twice: with the
// default update_interval (100 ms) and with 0 (a signal per message), each in a rig of its own.
// Usage: dotnet run -c Release --project bench/EndToEnd -- [--quick] [--rates 100,1000] [--intervals 100] [--binary PATH]
//        dotnet run -c Release --project bench/EndToEnd -- --soak [minutes]   (default 30; see Soak.cs)
// --binary compares another build (an earlier commit's, say) under the same conditions; default out/linux-x64/meterbridge.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
bool quick = args.Contains("--quick");
// --power-only: the payload carries no energy counter, so the bridge counts energy from power (energy_from_power = auto).
bool powerOnly = args.Contains("--power-only");
int[] rates = Option("--rates") is { } r ? [.. r.Split(',').Select(int.Parse)] : [1, 5, 10, 100, 1000, 5000];
int[] intervals = Option("--intervals") is { } v ? [.. v.Split(',').Select(int.Parse)] : [100, 0];
// K per rate: 5 s each, 20 s at 1 and 5 msg/s (their p99 is a budget); --quick about 1 s each.
int Messages(int rate) => quick ? Math.Max(3, rate) : rate * (rate <= 5 ? 20 : 5);

string root = RepoRoot();
string binary = Option("--binary") is { } path ? Path.GetFullPath(path) : Path.Combine(root, "out/linux-x64/meterbridge");
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
double frequency = Stopwatch.Frequency;
double Ms(long ticks) => ticks * 1000.0 / frequency;

var runs = new List<IntervalRun>();
foreach (int updateInterval in intervals)
    runs.Add(await RunIntervalAsync(updateInterval));

long binaryBytes = new FileInfo(binary).Length;
Console.WriteLine($"Binary {binaryBytes / 1048576.0:0.00} MiB");
foreach (var run in runs) Print(run);
string json = Path.Combine(root, "bench/results/end-to-end.json");
Directory.CreateDirectory(Path.GetDirectoryName(json)!);
File.WriteAllText(json, JsonSerializer.Serialize(new
{
    Date = DateTime.UtcNow.ToString("o"),
    Quick = quick,
    Machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
    BinaryBytes = binaryBytes,
    Runs = runs,
}, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
Console.WriteLine($"\nJSON: {Path.GetRelativePath(root, json)}");
return 0;

async Task<IntervalRun> RunIntervalAsync(int updateInterval)
{
    int instance = 77 + updateInterval % 100;
    string service = $"com.victronenergy.grid.mqtt_grid_{instance}";
    using var rig = await BenchRig.StartAsync($"bench{updateInterval}", service);
    var recorder = rig.Recorder;
    var mqtt = rig.Publisher;

    // A retained first message, so the bridge registers as soon as it has subscribed: the start time is
    // spawn → connect → subscribe → first message → name on the bus, with nothing of ours in between.
    await mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Payload(0.25))
        .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    long spawned = Stopwatch.GetTimestamp();
    var bridge = rig.StartBridge(binary, topic, instance, "--timeout", "0", "--update-interval", updateInterval.ToString());
    Processes.WaitUntil(() => recorder.NameOwnedAt != 0 || bridge.HasExited, "the bridge did not take its name");
    if (bridge.HasExited) throw new InvalidOperationException("the bridge exited: " + Processes.LastLines(bridge));
    double startMs = Ms(recorder.NameOwnedAt - spawned);

    // Our own publisher and signal recorder run before anything is timed: their first use (JIT in this process) added
    // ~10 ms to the first samples of whichever bridge ran first.
    for (int i = 0; i < 5; i++)
    {
        await mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Payload(0.5 + i)).Build());
        Thread.Sleep(150);
    }

    var meter = new ProcessMeter(bridge.Id);
    var bus = new ProcessMeter(rig.BusProcessId);
    Thread.Sleep(1000);
    var (idleRss, idlePeak) = meter.Memory();
    long idleWakeups = meter.VoluntaryWakeups();
    Thread.Sleep(2000);
    double idleWakeupsPerSecond = (meter.VoluntaryWakeups() - idleWakeups) / 2.0;

    var results = new List<RateResult>();
    long nextValue = 1;
    foreach (int rate in rates)
    {
        results.Add(RunRate(rate, Messages(rate), ref nextValue));
        Thread.Sleep(300);
    }
    if (bridge.HasExited) throw new InvalidOperationException("the bridge exited: " + Processes.LastLines(bridge));
    return new IntervalRun(updateInterval, startMs, idleRss, idlePeak, idleWakeupsPerSecond, results);

    RateResult RunRate(int rate, int count, ref long value)
    {
        long first = value;
        var sent = new long[count];
        var messages = new MqttApplicationMessage[count];
        for (int i = 0; i < count; i++)
            messages[i] = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Payload(first + i)).Build();
        value += count;

        int signalsBefore = recorder.Count;
        double cpuStat = meter.CpuMicrosecondsFromStat(), cpuSched = meter.CpuMicrosecondsFromSchedstat(), busCpu = bus.CpuMicrosecondsFromSchedstat();
        long wakeups = meter.VoluntaryWakeups();
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
        Thread.Sleep(Math.Max(100, updateInterval * 2));
        double seconds = Ms(Stopwatch.GetTimestamp() - start) / 1000;
        double cpuStatUsed = meter.CpuMicrosecondsFromStat() - cpuStat;
        double cpuSchedUsed = meter.CpuMicrosecondsFromSchedstat() - cpuSched;
        double busCpuUsed = bus.CpuMicrosecondsFromSchedstat() - busCpu;
        long wakeupsUsed = meter.VoluntaryWakeups() - wakeups;
        var (rss, peak) = meter.Memory();

        var arrivals = new Dictionary<long, long>();
        var signals = recorder.Since(signalsBefore);
        foreach (var (power, arrived) in signals)
        {
            long v = (long)Math.Round(power);
            if (v >= first && v < first + count && power == v) arrivals.TryAdd(v, arrived);
        }
        // Latency of the messages that come after a quiet interval (the previous one at least an update interval
        // earlier): those must not wait. Within a burst a message waits for the end of the interval by design.
        double quietTicks = Math.Max(updateInterval, 1) * frequency / 1000;
        var latencies = arrivals.Where(a => a.Key == first || sent[a.Key - first] - sent[a.Key - first - 1] >= quietTicks)
            .Select(a => Ms(a.Value - sent[a.Key - first])).Order().ToArray();
        double? newestAge = arrivals.TryGetValue(first + count - 1, out long newest) ? Ms(newest - sent[count - 1]) : null;
        return new RateResult(rate, count, signals.Count / seconds, (double)wakeupsUsed / count,
            latencies.Length, Percentile(latencies, 0.50), Percentile(latencies, 0.99),
            newestAge, cpuStatUsed / count, cpuSchedUsed / count, busCpuUsed / 1000 / seconds, rss, peak);
    }
}

string? Option(string name) => Array.IndexOf(args, name) is >= 0 and var at && at + 1 < args.Length ? args[at + 1] : null;

// A full 3-phase payload (every quantity, total and phases) whose total power is the unique value; without the
// energy counters with --power-only.
byte[] Payload(double power)
{
    string P(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    string Phase(double p, double v, double e) =>
        $"\"power\":{P(p)},\"voltage\":{P(v)},\"current\":1.5,\"frequency\":50.01,\"power_factor\":0.95" + (powerOnly ? "" : $",\"energy_forward\":{P(e)},\"energy_reverse\":4.1");
    return Encoding.UTF8.GetBytes("{\"grid\":{" + Phase(power, 230.1, 1000 + power / 1000) +
        ",\"L1\":{" + Phase(power % 20000, 230.2, 400.1) + "},\"L2\":{" + Phase(power % 7000, 229.8, 300.2) + "},\"L3\":{" + Phase(power % 3000, 231.4, 300.3) + "}}}");
}

static double Percentile(double[] sorted, double q) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

static void Print(IntervalRun run)
{
    static string MiB(long kib) => (kib / 1024.0).ToString("0.0");
    static string Opt(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format);
    Console.WriteLine();
    Console.WriteLine($"update_interval = {run.UpdateInterval} ms: start (spawn → name on the bus, first message retained) {run.StartMs:0} ms; " +
        $"idle RSS {MiB(run.IdleRss)} MiB (peak {MiB(run.IdlePeakRss)} MiB), idle wake-ups {run.IdleWakeupsPerSecond:0.0}/s");
    Console.WriteLine();
    Console.WriteLine("| msg/s | sent | signals/s | wake-ups/msg | CPU µs/msg (schedstat) | CPU µs/msg (stat) | dbus-daemon CPU ms/s | after quiet: n | p50 ms | p99 ms | newest after burst ms | RSS MiB | peak RSS MiB |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in run.Rates)
        Console.WriteLine($"| {r.Rate} | {r.Sent} | {r.SignalsPerSecond:0.0} | {r.WakeupsPerMessage:0.00} | {r.CpuPerMessageSchedstat:0.0} | {r.CpuPerMessageStat:0} | {r.BusCpuMsPerSecond:0.00} | " +
            $"{r.QuietMessages} | {Opt(r.QuietLatencyP50, "0.00")} | {Opt(r.QuietLatencyP99, "0.00")} | {(r.NewestAge is double age ? age.ToString("0.00") : "not seen")} | {MiB(r.Rss)} | {MiB(r.PeakRss)} |");
}

static string RepoRoot()
{
    foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MeterBridge.csproj"))) return dir.FullName;
    throw new InvalidOperationException("run from inside the repository");
}
