using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MeterBridge.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// energy_from_power end to end: the binary counts kWh from power-only messages, keeps them in the file beside its
/// config across a SIGTERM and a kill -9, and a corrupt file costs one warning, not a counter.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class EnergyTests(ITestOutputHelper output) : IDisposable
{
    private const double WattSecondsPerKiloWattHour = 3_600_000;
    private readonly string _folder = Directory.CreateTempSubdirectory("mb-energy-e2e-").FullName;

    private string Config => Path.Combine(_folder, "meter.ini");
    private string CountersFile => Path.Combine(_folder, "energy.json");

    private bool _configured;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private BridgeProcess Start(Rig rig) => rig.StartBridge(extra: ["--config", ConfigWritten()]);

    private string ConfigWritten()
    {
        if (!_configured) File.WriteAllText(Config, "[DEFAULT]\n[MQTT]\n");
        _configured = true;
        return Config;
    }

    /// <summary>The D-Bus value as a number; NaN when the path has no number (invalid, or the service is absent).</summary>
    private static double Value(Rig rig, string path)
    {
        string? answer = rig.GetValue(path);
        return answer is not null && answer.StartsWith("(<") && answer.EndsWith(">,)")
            && double.TryParse(answer[2..^3], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN;
    }

    /// <summary>Polls until the path shows a number that stays the same for a while (the last message is published).</summary>
    private static double Settled(Rig rig, string path)
    {
        double last = double.NaN;
        var clock = Stopwatch.StartNew();
        var same = Stopwatch.StartNew();
        while (clock.Elapsed < Rig.Deadline)
        {
            double now = Value(rig, path);
            if (!now.Equals(last)) { last = now; same.Restart(); }
            else if (!double.IsNaN(now) && same.ElapsedMilliseconds > 500) return now;
            Thread.Sleep(50);
        }
        Assert.Fail($"{path} never settled: last {last}");
        return last;
    }

    private static double Kept(string file, string location, string counter)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(file));
        return json.RootElement.GetProperty(location).GetProperty(counter).GetDouble();
    }

    /// <summary>The same message every <paramref name="period"/> for <paramref name="duration"/>; the seconds from the first send to the last.</summary>
    private static double PublishFor(TestPublisher publisher, string payload, TimeSpan duration, TimeSpan period, Action? each = null)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(payload);
        var clock = Stopwatch.StartNew();
        double first = -1, last = 0;
        for (int i = 0; ; i++)
        {
            var due = period * i;
            if (due > duration) break;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            double sent = clock.Elapsed.TotalSeconds;
            publisher.Publish(bytes);
            if (first < 0) first = sent;
            last = sent;
            each?.Invoke();
        }
        return last - first;
    }

    [Fact]
    public void Power_only_messages_count_power_times_time_within_1_percent_and_a_SIGTERM_keeps_every_counter()
    {
        using var rig = new Rig();
        var bridge = Start(rig);
        Assert.Contains(bridge.Lines, line => line.Contains("energy counted from power starts at 0 and is kept in " + CountersFile));
        using var publisher = new TestPublisher(rig.Broker.Port);
        const string payload = """{"grid":{"power":1800,"L1":{"power":2000},"L2":{"power":-200}}}""";
        double seconds = PublishFor(publisher, payload, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));

        double total = Settled(rig, "/Ac/Energy/Forward");
        double l1 = Value(rig, "/Ac/L1/Energy/Forward"), l2 = Value(rig, "/Ac/L2/Energy/Reverse");
        foreach (var (shown, watts, path) in new[] { (total, 1800.0, "/Ac/Energy/Forward"), (l1, 2000.0, "/Ac/L1/Energy/Forward"), (l2, 200.0, "/Ac/L2/Energy/Reverse") })
        {
            double expected = watts * seconds / WattSecondsPerKiloWattHour;
            output.WriteLine($"{path}: {shown:0.000000} kWh, power × time {expected:0.000000} kWh ({seconds:0.000} s): {(shown - expected) / expected:P3}");
            Assert.True(Math.Abs(shown - expected) <= 0.01 * expected, $"{path}: {shown} kWh, power × time is {expected} kWh ({seconds:0.000} s)\n{bridge.Log}");
        }
        Assert.Equal(0, Value(rig, "/Ac/Energy/Reverse"));
        Assert.Equal(0, Value(rig, "/Ac/L1/Energy/Reverse"));
        Assert.Equal(0, Value(rig, "/Ac/L2/Energy/Forward"));

        bridge.Terminate();
        Assert.True(bridge.WaitForExit(TimeSpan.FromSeconds(5)), "still running after SIGTERM:\n" + bridge.Log);
        Assert.Equal(total, Kept(CountersFile, "total", "forward"));
        Assert.Equal(l1, Kept(CountersFile, "L1", "forward"));
        Assert.Equal(l2, Kept(CountersFile, "L2", "reverse"));

        var again = Start(rig);
        Assert.Contains(again.Lines, line => line.Contains("energy counted from power continues from " + CountersFile));
        rig.Publish(payload); // the first message of a run counts nothing: no time has passed
        rig.WaitForValue("/Ac/Energy/Forward", $"(<{total.ToString("R", CultureInfo.InvariantCulture)}>,)", bridge: again);
        Assert.Equal(l1, Value(rig, "/Ac/L1/Energy/Forward"));
        Assert.Equal(l2, Value(rig, "/Ac/L2/Energy/Reverse"));
        Assert.DoesNotContain(again.Lines, line => line.StartsWith("WARNING"));
    }

    [Fact]
    public void A_kill_9_loses_at_most_what_was_counted_since_the_write_the_minute_rule_made()
    {
        const double watts = 3600;
        using var rig = new Rig();
        var bridge = Start(rig);
        using var publisher = new TestPublisher(rig.Broker.Port);
        string payload = "{\"grid\":{\"power\":" + watts.ToString(CultureInfo.InvariantCulture) + "}}";

        // A little over a minute of messages: the file must be written while they flow, with no stop to make it.
        double written = double.NaN;
        var clock = Stopwatch.StartNew();
        PublishFor(publisher, payload, TimeSpan.FromSeconds(75), TimeSpan.FromMilliseconds(200), () =>
        {
            if (double.IsNaN(written) && File.Exists(CountersFile)) written = clock.Elapsed.TotalSeconds;
        });
        Assert.False(double.IsNaN(written), "no counters file after 75 s of messages:\n" + bridge.Log);
        Assert.True(written >= 55, $"the counters file was written {written:0.0} s after the first message: earlier than a minute after the start");

        double shown = Settled(rig, "/Ac/Energy/Forward");
        Assert.Equal(0, Tool.Run("kill", "-KILL", bridge.Id.ToString()).ExitCode);
        Assert.True(bridge.WaitForExit(TimeSpan.FromSeconds(5)));
        double kept = Kept(CountersFile, "total", "forward");
        Assert.True(kept > 0 && kept <= shown, $"kept {kept} kWh, shown {shown} kWh");
        double lost = shown - kept, minute = watts * 60 / WattSecondsPerKiloWattHour;
        Assert.True(lost <= minute, $"a kill -9 lost {lost} kWh, more than a minute's {minute} kWh");
        output.WriteLine($"file first seen {written:0.0} s after the first message; kill -9 at {shown:0.000000} kWh, kept {kept:0.000000} kWh: lost {lost * WattSecondsPerKiloWattHour / watts:0.0} s of counting");

        var again = Start(rig);
        rig.Publish(payload);
        rig.WaitForValue("/Ac/Energy/Forward", $"(<{kept.ToString("R", CultureInfo.InvariantCulture)}>,)", bridge: again);
    }

    [Fact]
    public void A_corrupt_counters_file_is_one_warning_and_lowers_no_counter()
    {
        using var rig = new Rig();
        var bridge = Start(rig);
        const string payload = """{"grid":{"power":-3000}}""";
        using (var publisher = new TestPublisher(rig.Broker.Port))
            PublishFor(publisher, payload, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(100));
        double reverse = Settled(rig, "/Ac/Energy/Reverse");
        Assert.True(reverse > 0);
        Assert.Equal(0, Value(rig, "/Ac/Energy/Forward"));
        bridge.Terminate();
        Assert.True(bridge.WaitForExit(TimeSpan.FromSeconds(5)));

        File.WriteAllText(CountersFile, """{"version":1,"total":{"forward":0,"reverse":0.00""");  // torn
        var again = Start(rig);
        var warnings = again.Lines.Where(line => line.StartsWith("WARNING")).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains(CountersFile, warning);
        rig.Publish(payload);
        rig.WaitForValue("/Ac/Energy/Reverse", $"(<{reverse.ToString("R", CultureInfo.InvariantCulture)}>,)", bridge: again);
        Assert.True(File.Exists(CountersFile + ".corrupt"), "the corrupt file was not kept for its owner");
        Assert.True(again.IsRunning);
    }

    [Fact]
    public void An_idle_meter_that_keeps_its_counters_wakes_no_thread()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--config", ConfigWritten(), "--timeout", "0"]);
        rig.Publish("""{"grid":{"power":10.0}}""");
        rig.WaitForValue("/Ac/Energy/Forward", "(<0.0>,)", bridge: bridge);
        rig.Publish("""{"grid":{"power":20.0}}""");
        rig.WaitForValue("/Ac/Power", "(<20.0>,)", bridge: bridge);
        Thread.Sleep(500); // registration's last replies and log lines

        long before = WakeUps(bridge.Id);
        Thread.Sleep(3000);
        long wakeUps = WakeUps(bridge.Id) - before;
        Assert.True(wakeUps <= 5, $"{wakeUps} thread wake-ups in 3 s of silence"); // as KeepAliveTests: no timer of ours
        output.WriteLine($"{wakeUps} wake-ups in 3 s idle");
    }

    /// <summary>Voluntary context switches of every thread of the process: each is a sleep, so each later wake-up.</summary>
    private static long WakeUps(int pid) => Directory.GetDirectories($"/proc/{pid}/task").Sum(task =>
    {
        try
        {
            return File.ReadLines(Path.Combine(task, "status")).Where(line => line.StartsWith("voluntary_ctxt_switches:"))
                .Sum(line => long.Parse(line.Split(':')[1].Trim()));
        }
        catch (IOException) { return 0L; } // the thread ended meanwhile
    });

    [Fact]
    public void Without_a_config_file_one_line_says_the_counters_are_not_kept_and_they_still_count()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();
        Assert.Single(bridge.Lines, line => line.Contains("not kept across restarts"));
        rig.Publish("""{"grid":{"power":500}}""");
        rig.WaitForValue("/Ac/Energy/Forward", "(<0.0>,)", bridge: bridge);
        Thread.Sleep(300);
        rig.Publish("""{"grid":{"power":500}}""");
        Assert.True(SpinWait.SpinUntil(() => Value(rig, "/Ac/Energy/Forward") > 0, Rig.Deadline), "nothing counted:\n" + bridge.Log);
        Assert.Empty(Directory.GetFiles(_folder, "*.json"));
    }
}
