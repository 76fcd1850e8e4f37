using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// update_interval: at most one D-Bus update per interval (default 100 ms), nothing lost, no wait after a quiet
/// interval; 0 is a signal per message. Timed against our own D-Bus client's arrival stamps; limits are generous.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class UpdateIntervalTests
{
    [Fact]
    public void Two_hundred_messages_a_second_make_at_most_eleven_signals_in_any_second_and_the_last_holds_the_last_payload()
    {
        using var rig = new Rig();
        var bridge = StartRegistered(rig);
        using var times = new SignalTimes(rig.Bus.Address);
        using var clock = SignalClock.Start(rig.Bus.Address);
        using var publisher = new TestPublisher(rig.Broker.Port);

        FullPayload last = SendAt(publisher, rate: 200, seconds: 2, counter => new FullPayload(1000 + counter));
        rig.WaitForItems(last, bridge);
        Thread.Sleep(300);

        int most = times.MostWithin(TimeSpan.FromSeconds(1));
        Assert.True(most <= 11, $"{most} signals within one second for 200 messages a second (dbus-monitor's clock)");
        Assert.True(times.Count >= 10, $"only {times.Count} signals in 2 s");
        Assert.Equal(last.Expected["/Ac/Power"], clock.Signals[^1].Power);
    }

    [Fact]
    public void Tasmota_one_value_messages_five_milliseconds_apart_are_all_on_dbus_after_the_interval()
    {
        using var rig = new Rig();
        var bridge = StartRegistered(rig);
        using var publisher = new TestPublisher(rig.Broker.Port);

        string[] messages =
        [
            """{"Time":"2023-11-22T21:57:13","grid":{"power":413}}""",
            """{"Time":"2023-11-22T21:57:13","grid":{"power_L1":94}}""",
            """{"Time":"2023-11-22T21:57:13","grid":{"power_L2":201}}""",
            """{"grid":{"energy_forward":1234.567,"energy_reverse":89.1}}""",
        ];
        foreach (string message in messages)
        {
            publisher.Publish(System.Text.Encoding.UTF8.GetBytes(message), qos1: false);
            Thread.Sleep(5);
        }
        rig.WaitForValue("/Ac/Energy/Reverse", "(<89.1>,)", bridge: bridge);
        var items = rig.GetItems();
        Assert.True(Rig.Same(items.GetValueOrDefault("/Ac/Power"), "(<413.0>,)"), "/Ac/Power " + items.GetValueOrDefault("/Ac/Power"));
        Assert.True(Rig.Same(items.GetValueOrDefault("/Ac/L1/Power"), "(<94.0>,)"), "/Ac/L1/Power " + items.GetValueOrDefault("/Ac/L1/Power"));
        Assert.True(Rig.Same(items.GetValueOrDefault("/Ac/L2/Power"), "(<201.0>,)"), "/Ac/L2/Power " + items.GetValueOrDefault("/Ac/L2/Power"));
        Assert.True(Rig.Same(items.GetValueOrDefault("/Ac/Energy/Forward"), "(<1234.567>,)"), "/Ac/Energy/Forward " + items.GetValueOrDefault("/Ac/Energy/Forward"));
    }

    [Fact]
    public void A_message_after_a_quiet_interval_is_published_at_once()
    {
        using var rig = new Rig();
        var bridge = StartRegistered(rig);
        using var clock = SignalClock.Start(rig.Bus.Address);
        using var publisher = new TestPublisher(rig.Broker.Port);

        var delays = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            Thread.Sleep(300);
            long sent = Stopwatch.GetTimestamp();
            publisher.Publish(System.Text.Encoding.UTF8.GetBytes("{\"grid\":{\"power\":" + (500 + i) + "}}"), qos1: false);
            long? arrived = clock.WaitForPower(500 + i, TimeSpan.FromSeconds(5));
            Assert.True(arrived is not null, $"power {500 + i} never signalled:\n" + bridge.Log);
            delays.Add((arrived.Value - sent) * 1000.0 / Stopwatch.Frequency);
        }
        // The interval is 100 ms: a message that waited for it would take that long. The best of five on a busy machine.
        Assert.True(delays.Min() < 50, $"publish → signal after 300 ms of quiet: {string.Join(", ", delays.Select(d => $"{d:0.0} ms"))}");
    }

    [Fact]
    public void An_interval_of_zero_sends_a_signal_per_message_and_the_default_far_fewer()
    {
        int SignalsFor(string interval)
        {
            using var rig = new Rig();
            var bridge = StartRegistered(rig, "--update-interval", interval);
            using var clock = SignalClock.Start(rig.Bus.Address);
            using var publisher = new TestPublisher(rig.Broker.Port);
            FullPayload last = SendAt(publisher, rate: 50, seconds: 1, counter => new FullPayload(2000 + counter));
            rig.WaitForItems(last, bridge);
            Thread.Sleep(300);
            return clock.Signals.Count;
        }

        int perMessage = SignalsFor("0");
        int byDefault = SignalsFor("100");
        Assert.True(perMessage >= 45, $"update_interval = 0: {perMessage} signals for 50 messages 20 ms apart");
        Assert.True(byDefault <= 13, $"update_interval = 100: {byDefault} signals for 50 messages in 1 s");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("70000")]
    public void A_bad_update_interval_exits_2_naming_file_line_key_and_value(string value)
    {
        string folder = Directory.CreateTempSubdirectory("mb-interval-").FullName;
        try
        {
            string ini = Path.Combine(folder, "config.ini");
            File.WriteAllText(ini, $"[DEFAULT]\ntimeout = 30\n[MQTT]\nupdate_interval = {value}\n");
            var result = Tool.Run(AotBinary.Path, "check", "--config", ini);
            Assert.Equal(2, result.ExitCode);
            Assert.Equal($"{ini}:4: update_interval = \"{value}\" is not a number of milliseconds 0 to 60000", result.Stderr.Trim());
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>The bridge, registered with a first message.</summary>
    private static BridgeProcess StartRegistered(Rig rig, params string[] extra)
    {
        var bridge = rig.StartBridge(extra: extra);
        rig.Publish("""{"grid":{"power":1}}""");
        Assert.True(rig.WaitOnBus(true), "not registered:\n" + bridge.Log);
        return bridge;
    }

    /// <summary>Sends rate × seconds payloads, evenly spaced, at QoS 0; returns the last.</summary>
    private static FullPayload SendAt(TestPublisher publisher, int rate, int seconds, Func<int, FullPayload> make)
    {
        FullPayload last = make(0);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < rate * seconds; i++)
        {
            while (clock.Elapsed.TotalSeconds < (double)i / rate) Thread.Sleep(1);
            last = make(i);
            publisher.Publish(last.Bytes, qos1: false);
        }
        return last;
    }
}
