using System.Diagnostics;
using System.Text.Json;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// The bridge's health on its broker (status_topic, ha_discovery), read with mosquitto_sub as Home Assistant or
/// Node-RED would: online/offline (retained, the will), the state JSON once per change and never per message.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class StatusTests
{
    private const string Payload = """{"grid":{"power":650.0,"voltage":231.0}}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(8);

    private static string StatusTopic(Rig rig) => $"meterbridge/{rig.DeviceInstance}/status";
    private static string StateTopic(Rig rig) => $"meterbridge/{rig.DeviceInstance}/state";

    private static List<string> States(MosquittoSub sub, Rig rig) =>
        sub.On(StateTopic(rig)).Select(json => JsonDocument.Parse(json).RootElement.GetProperty("state").GetString()!).ToList();

    [Fact]
    public void Online_is_retained_after_the_start_and_offline_after_SIGTERM()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();
        using (var sub = new MosquittoSub(rig.Broker.Port, StatusTopic(rig)))
            Assert.True(sub.WaitFor(s => s.On(StatusTopic(rig)).SequenceEqual(["online"]), Wait), sub.Dump() + "\n" + bridge.Log);

        bridge.Terminate();
        Assert.True(bridge.WaitForExit(Wait));
        Assert.Equal(0, bridge.ExitCode);
        using var after = new MosquittoSub(rig.Broker.Port, StatusTopic(rig));
        Assert.True(after.WaitFor(s => s.On(StatusTopic(rig)).SequenceEqual(["offline"]), Wait), after.Dump());
    }

    [Fact]
    public void Kill_9_leaves_offline_as_the_will()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--keepalive", "2"]);
        using var sub = new MosquittoSub(rig.Broker.Port, StatusTopic(rig));
        Assert.True(sub.WaitFor(s => s.On(StatusTopic(rig)).Contains("online"), Wait), sub.Dump());

        bridge.Dispose(); // SIGKILL: no DISCONNECT, so the broker publishes the will
        Assert.True(sub.WaitFor(s => s.On(StatusTopic(rig)).SequenceEqual(["online", "offline"]), Wait), sub.Dump());
        using var after = new MosquittoSub(rig.Broker.Port, StatusTopic(rig));
        Assert.True(after.WaitFor(s => s.On(StatusTopic(rig)).SequenceEqual(["offline"]), Wait), "not retained:\n" + after.Dump());
    }

    [Fact]
    public void One_state_publish_per_change_waiting_fresh_stale_fresh()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--timeout", "1"]);
        using var sub = new MosquittoSub(rig.Broker.Port, StateTopic(rig));
        Assert.True(sub.WaitFor(s => States(s, rig).SequenceEqual(["waiting"]), Wait), sub.Dump());

        rig.Publish(Payload);
        Assert.True(sub.WaitFor(s => States(s, rig).Count == 2, Wait), sub.Dump());
        Assert.True(rig.WaitOnBus(false, Wait), "not stale:\n" + bridge.Log);
        Assert.True(sub.WaitFor(s => States(s, rig).Count == 3, Wait), sub.Dump());
        rig.Publish(Payload);
        Assert.True(sub.WaitFor(s => States(s, rig).Count == 4, Wait), sub.Dump());
        var fresh = JsonDocument.Parse(sub.On(StateTopic(rig))[3]).RootElement;
        Thread.Sleep(1500); // a repeat would come within the 1 s the publisher waits between two; stale again is a change
        string[] changes = ["waiting", "fresh", "stale", "fresh", "stale"];
        Assert.Equal(changes[..States(sub, rig).Count], States(sub, rig));

        Assert.Equal(rig.Service, fresh.GetProperty("service").GetString());
        Assert.Equal("grid", fresh.GetProperty("role").GetString());
        Assert.Equal(rig.DeviceInstance, fresh.GetProperty("device_instance").GetInt32());
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("last_rejected").ValueKind);
    }

    [Fact]
    public void A_hundred_messages_a_second_make_no_state_publishes_and_a_flood_of_rejections_one_a_second_at_most()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();
        using var sub = new MosquittoSub(rig.Broker.Port, StateTopic(rig));
        using var publisher = new TestPublisher(rig.Broker.Port);
        rig.Publish(Payload);
        Assert.True(sub.WaitFor(s => States(s, rig).SequenceEqual(["waiting", "fresh"]), Wait), sub.Dump());
        Thread.Sleep(1100); // past the publisher's second between two states

        SendFor(TimeSpan.FromSeconds(2), i => $$$"""{"grid":{"power":{{{600 + i % 50}}}.5}}""");
        rig.Publish("""{"grid":{"power":777.5}}""");
        rig.WaitForValue("/Ac/Power", "(<777.5>,)", bridge: bridge);
        Thread.Sleep(1200);
        Assert.Equal(2, sub.On(StateTopic(rig)).Count);

        // Rejections of two kinds in turn, each quoting another value: each message is news to nobody but the log.
        var clock = Stopwatch.StartNew();
        SendFor(TimeSpan.FromSeconds(2), i => i % 2 == 0 ? $$$"""{"grid":{"power":{{{1000000 + i}}}}}""" : """{"grid":{"power":"x"}}""");
        double seconds = clock.Elapsed.TotalSeconds;
        Assert.True(sub.WaitFor(s => s.On(StateTopic(rig)).Count > 2, Wait), sub.Dump());
        Thread.Sleep(1500);
        int publishes = sub.On(StateTopic(rig)).Count - 2;
        Assert.True(publishes <= seconds + 2, $"{publishes} state publishes for 200 rejections in {seconds:0.0} s:\n{sub.Dump()}");
        var last = JsonDocument.Parse(sub.On(StateTopic(rig))[^1]).RootElement;
        Assert.Equal("fresh", last.GetProperty("state").GetString());
        Assert.Contains(" is ", last.GetProperty("last_rejected").GetString());
        Assert.True(bridge.IsRunning);

        void SendFor(TimeSpan time, Func<int, string> payload)
        {
            var start = Stopwatch.StartNew();
            for (int i = 0; start.Elapsed < time; i++)
            {
                publisher.Publish(System.Text.Encoding.UTF8.GetBytes(payload(i)), qos1: false);
                var due = TimeSpan.FromMilliseconds(10 * (i + 1));
                if (due > start.Elapsed) Thread.Sleep(due - start.Elapsed);
            }
        }
    }

    [Fact]
    public void After_a_broker_restart_online_and_the_state_are_retained_again()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<650.0>,)", bridge: bridge);

        rig.Broker.Stop(); // persistence false: its retained messages are gone
        rig.Broker.Start();
        Assert.True(bridge.WaitForLine(l => l.Contains("subscribed to") && bridge.Lines.Count(x => x.Contains("subscribed to")) >= 2, TimeSpan.FromSeconds(10)), bridge.Log);
        using var sub = new MosquittoSub(rig.Broker.Port, $"meterbridge/{rig.DeviceInstance}/#");
        Assert.True(sub.WaitFor(s => s.On(StatusTopic(rig)).SequenceEqual(["online"]) && States(s, rig).SequenceEqual(["fresh"]), Wait), sub.Dump());
    }

    [Fact]
    public void Home_Assistant_discovery_gives_valid_configs_with_unique_ids()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--ha-discovery", "1"]);
        using var sub = new MosquittoSub(rig.Broker.Port, "homeassistant/#");
        Assert.True(sub.WaitFor(s => s.Lines.Count == 2, Wait), sub.Dump() + "\n" + bridge.Log);

        var configs = sub.Lines.Select(l => (Topic: l[..l.IndexOf(' ')], Json: JsonDocument.Parse(l[(l.IndexOf(' ') + 1)..]).RootElement)).ToList();
        Assert.All(configs, c => Assert.Matches(@"^homeassistant/(binary_sensor|sensor)/meterbridge_[A-Za-z0-9_-]+_40/(status|state)/config$", c.Topic));
        var ids = configs.Select(c => c.Json.GetProperty("unique_id").GetString()!).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Contains("_40_", id));
        var binary = configs.Single(c => c.Topic.Contains("/binary_sensor/")).Json;
        Assert.Equal("connectivity", binary.GetProperty("device_class").GetString());
        Assert.Equal(StatusTopic(rig), binary.GetProperty("state_topic").GetString());
        Assert.Equal(StateTopic(rig), configs.Single(c => c.Topic.Contains("/sensor/") && !c.Topic.Contains("binary")).Json.GetProperty("json_attributes_topic").GetString());
    }

    [Fact]
    public void An_empty_status_topic_publishes_nothing_not_even_a_will()
    {
        using var rig = new Rig();
        using var sub = new MosquittoSub(rig.Broker.Port, "#");
        Thread.Sleep(300); // mosquitto_sub subscribes
        var bridge = rig.StartBridge(extra: ["--status-topic", "", "--ha-discovery", "1"]);
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<650.0>,)", bridge: bridge);
        Assert.True(sub.WaitFor(s => s.Lines.Count == 1, Wait), sub.Dump());

        bridge.Dispose(); // SIGKILL: a will would be published now
        Thread.Sleep(1000);
        Assert.Equal([$"{Rig.Topic} {Payload}"], sub.Lines);
    }
}
