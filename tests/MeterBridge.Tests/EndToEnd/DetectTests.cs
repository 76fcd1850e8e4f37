using System.Diagnostics;
using System.Text.Json;
using MeterBridge.Tests.Detect;
using MeterBridge.Tests.Infrastructure;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// <c>meterbridge detect</c> as a user runs it: the AOT binary against a real Mosquitto carrying a home's meters and
/// noise. What it finds must be what <c>decode</c> shows for the same messages, and its printed lines, used as the
/// config, must make <c>run</c> show the same values on D-Bus.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DetectTests
{
    private const int Seconds = 3;

    /// <summary>
    /// The must-show of issue 26: sixteen meters on fifteen devices of the thirteen kinds detect knows, several spread over
    /// many messages or topics; each is one report, with every path (power, energies, phases) that <c>decode</c> gives
    /// for the same messages in the order the broker delivered them.
    /// </summary>
    [Fact]
    public async Task A_home_broker_every_meter_with_its_format_topic_and_channel_and_the_paths_decode_gives()
    {
        using var broker = new Mosquitto(config: ["log_type all"]);
        Publish(broker.Port, HomeBroker.Messages.Where(m => m.Retained));
        using var detect = Tool.Start(AotBinary.Path, "detect", "--json", "--seconds", Seconds.ToString(), "--broker-port", broker.Port.ToString());
        var stdout = detect.StandardOutput.ReadToEndAsync();
        var stderr = detect.StandardError.ReadToEndAsync();
        Assert.True(SpinWait.SpinUntil(() => broker.Log.Any(l => l.Contains("Received SUBSCRIBE from MeterBridge_detect")), Rig.Deadline),
            "detect did not subscribe:\n" + string.Join('\n', broker.Log));
        Publish(broker.Port, HomeBroker.Messages.Where(m => !m.Retained));
        Assert.True(detect.WaitForExit(TimeSpan.FromSeconds(Seconds + 10)), "detect did not end");
        string output = await stdout, errors = await stderr;
        Assert.True(detect.ExitCode == 0, $"exit {detect.ExitCode}: {errors}\n{output}");

        var found = Lines(output);
        Assert.Equal(HomeBroker.Meters.Select(Describe).Order(), found.Select(Describe).Order());
        Assert.Equal(HomeBroker.Devices, found.Select(m => m.GetProperty("topic").GetString()).Distinct().Count());
        // As the broker delivers them: the retained messages when detect subscribes, then the others in order.
        var delivered = HomeBroker.Messages.Where(m => m.Retained).Concat(HomeBroker.Messages.Where(m => !m.Retained)).ToList();
        foreach (JsonElement meter in found)
        {
            var paths = Paths(meter.GetProperty("paths"));
            Assert.Equal(Decode(meter, delivered), paths);
            Assert.True(paths.Count > 5, meter.ToString());
            Assert.True(paths.ContainsKey("/Ac/Power") || paths.ContainsKey("/Ac/Energy/Forward"), meter.ToString());
        }
        var pro3em = Assert.Single(found, m => m.GetProperty("topic").GetString() == HomeBroker.Pro3em);
        Assert.Equal(-281.0, pro3em.GetProperty("paths").GetProperty("/Ac/Power").GetDouble()); // the newest notification counts
        Assert.Equal(3, pro3em.GetProperty("messages").GetInt32());
        // The issue's cases: a Pro 3EM on events/rpc alone keeps L1, L3 and its energy; power and counters sent apart.
        var rpc = Assert.Single(found, m => m.GetProperty("topic").GetString() == HomeBroker.Pro3emRpc).GetProperty("paths");
        Assert.Equal((-930.2, 310.4, -420.7, 2.9707), (rpc.GetProperty("/Ac/L1/Power").GetDouble(), rpc.GetProperty("/Ac/L2/Power").GetDouble(),
            rpc.GetProperty("/Ac/L3/Power").GetDouble(), Math.Round(rpc.GetProperty("/Ac/Energy/Forward").GetDouble(), 9)));
        var apart = Assert.Single(found, m => m.GetProperty("topic").GetString() == HomeBroker.SeedApart).GetProperty("paths");
        Assert.Equal((812.3, 4321.08), (apart.GetProperty("/Ac/Power").GetDouble(), apart.GetProperty("/Ac/Energy/Forward").GetDouble()));
    }

    /// <summary>
    /// Keeping every message stays bounded: 400 retained 3 kB Zigbee2MQTT states, a 6.7 MB retained message and a flood
    /// of 30 000 messages while detect listens (measured: 24.9-27.6 MB peak RSS; 25.5 MB when it kept only the newest).
    /// </summary>
    [Fact]
    public async Task A_busy_broker_every_state_a_huge_message_and_a_flood_in_bounded_memory()
    {
        using var broker = new Mosquitto(config: ["log_type all"]);
        string pad = new('x', 2900);
        Publish(broker.Port, Enumerable.Range(1, 400).Select(i =>
            new HomeBroker.Message($"zigbee2mqtt/plug{i}", $$"""{"power":{{i}}.5,"energy":{{i}}.25,"voltage":230,"linkquality":80,"note":"{{pad}}"}""", true)));
        string big = Path.Combine(Path.GetTempPath(), $"mb-detect-big-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(big, new string('y', 6_700_000));
            broker.MosquittoPub("-t", "big/blob", "-f", big, "-r", "-q", "1");
        }
        finally { File.Delete(big); }

        using var detect = Tool.Start(AotBinary.Path, "detect", "--json", "--seconds", "6", "--broker-port", broker.Port.ToString());
        var stdout = detect.StandardOutput.ReadToEndAsync();
        var stderr = detect.StandardError.ReadToEndAsync();
        Assert.True(SpinWait.SpinUntil(() => broker.Log.Any(l => l.Contains("Received SUBSCRIBE from MeterBridge_detect")), Rig.Deadline),
            "detect did not subscribe:\n" + string.Join('\n', broker.Log));
        long peak = 0;
        using (var client = new MqttClientFactory().CreateMqttClient())
        {
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("detect-flood").Build());
            for (int i = 0; i < 30_000; i++)
            {
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("zigbee2mqtt/flood")
                    .WithPayload($$"""{"power":{{i % 5000}}.5,"energy":{{i}}.25,"linkquality":80}""").Build());
                if (i % 1000 == 0) peak = Math.Max(peak, Peak(detect));
            }
            await client.DisconnectAsync();
        }
        while (!detect.WaitForExit(200)) peak = Math.Max(peak, Peak(detect));
        string output = await stdout, errors = await stderr;
        Console.WriteLine($"detect on 400 retained states, a 6.7 MB message and a 30 000-message flood: VmHWM {peak} KiB");
        Assert.True(detect.ExitCode == 0, $"exit {detect.ExitCode}: {errors}");
        var found = Lines(output);
        Assert.Equal(401, found.Count);
        Assert.Contains(found, m => m.GetProperty("topic").GetString() == "zigbee2mqtt/flood");
        Assert.True(peak > 0 && peak < 48 * 1024, $"VmHWM {peak} KiB");
    }

    [Fact]
    public void The_printed_lines_as_the_config_make_run_show_the_same_values_on_D_Bus()
    {
        using var rig = new Rig(new Mosquitto());
        Publish(rig.Broker.Port, HomeBroker.Messages.Select(m => m with { Retained = true }));
        string port = rig.Broker.Port.ToString();
        var text = AotBinary.Run(["detect", "--seconds", "2", "--broker-port", port], "", timeoutMs: 20000);
        Assert.True(text.ExitCode == 0, text.Stderr + text.Stdout);
        var json = AotBinary.Run(["detect", "--json", "--seconds", "2", "--broker-port", port], "", timeoutMs: 20000);
        Assert.True(json.ExitCode == 0, json.Stderr + json.Stdout);

        // A preset with phases and energies, and a custom mapping: their blocks, pasted into a config file.
        foreach (string topic in new[] { HomeBroker.Pro3em, HomeBroker.Statestream })
        {
            var expected = Paths(Assert.Single(Lines(json.Stdout), m => m.GetProperty("topic").GetString() == topic).GetProperty("paths"));
            string config = Path.Combine(Path.GetTempPath(), $"mb-detect-{Guid.NewGuid():N}.ini");
            File.WriteAllText(config, "[MQTT]\n" + Block(text.Stdout, topic));
            try
            {
                // detect shows what the messages carry, as decode does; counting energy from power takes time, so only a
                // running bridge does it (energy_from_power, docs/payloads.md): off here, the values must be the same.
                using var bridge = BridgeProcess.Start("--config", config, "--dbus-address", rig.Bus.Address, "--broker-address", "127.0.0.1",
                    "--broker-port", port, "--device-instance", rig.DeviceInstance.ToString(), "--energy-from-power", "0");
                Dictionary<string, string> items = [];
                bool same = SpinWait.SpinUntil(() =>
                {
                    items = rig.GetItems();
                    return expected.All(e => items.TryGetValue(e.Key, out string? got) && Rig.Same(got, OnBus(e.Value)));
                }, Rig.Deadline);
                Assert.True(same, $"{topic}: D-Bus differs from detect:\n" + string.Join('\n', expected.Where(e => !items.TryGetValue(e.Key, out string? got)
                    || !Rig.Same(got, OnBus(e.Value))).Select(e => $"{e.Key}: detect {e.Value}, D-Bus {items.GetValueOrDefault(e.Key) ?? "(absent)"}")) + "\n" + bridge.Log);
                bridge.Terminate();
                Assert.True(bridge.WaitForExit(Rig.Deadline) && rig.WaitOnBus(false), bridge.Log);
            }
            finally
            {
                File.Delete(config);
            }
        }
    }

    [Fact]
    public void An_empty_broker_exit_1_within_the_seconds_and_no_meter_said()
    {
        using var broker = new Mosquitto();
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = AotBinary.Run(["detect", "--seconds", "1", "--broker-port", broker.Port.ToString()], "");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1 + 2), $"took {clock.Elapsed}");
        Assert.True(code == 1, $"exit {code}: {stderr}");
        Assert.StartsWith("# no meter found in 0 messages on 0 topics", stdout);
    }

    [Fact]
    public void No_meter_lists_the_busiest_topics_to_write_a_mapping_from()
    {
        using var broker = new Mosquitto();
        Publish(broker.Port, [new("tele/a/STATE", """{"POWER":"ON"}""", true), new("house/meter", """{"p":1250,"e":4417}""", true), new("x/y", "abc", true)]);
        var (code, stdout, stderr) = AotBinary.Run(["detect", "--seconds", "1", "--broker-port", broker.Port.ToString()], "");
        Assert.True(code == 1, $"exit {code}: {stderr}");
        Assert.Contains("# no meter found in 3 messages on 3 topics", stdout);
        Assert.Contains("""house/meter  {"p":1250,"e":4417}""", stdout);
        var json = AotBinary.Run(["detect", "--json", "--seconds", "1", "--broker-port", broker.Port.ToString()], "");
        Assert.Equal((1, ""), (json.ExitCode, json.Stdout));
        Assert.Contains("house/meter", json.Stderr);
    }

    [Fact]
    public void A_wrong_port_the_same_words_as_run_and_bad_flags_exit_2()
    {
        int port = Mosquitto.FreePort();
        var (code, stdout, stderr) = AotBinary.Run(["detect", "--seconds", "1", "--broker-port", port.ToString()], "");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        string line = stderr.Trim();
        Assert.Equal($"cannot connect to 127.0.0.1:{port}: connection refused (is the broker running and is this its port?)", line);

        using var rig = new Rig();
        var bridge = rig.StartBridge(waitConnected: false, brokerPort: port);
        Assert.True(bridge.WaitForLine("cannot connect", Rig.Deadline), bridge.Log);
        Assert.Contains(bridge.Lines, l => l.Contains(line + "; retrying"));

        Assert.Equal(2, AotBinary.Run(["detect", "--seconds", "0"], "").ExitCode);
        Assert.Equal(2, AotBinary.Run(["detect", "--seconds", "601"], "").ExitCode);
        Assert.Equal(2, AotBinary.Run(["detect", "--topic", "a/#/b"], "").ExitCode);
    }

    /// <summary>The process's VmHWM so far; 0 once it has ended (a slow flood may outlast the listen).</summary>
    private static long Peak(Process process)
    {
        try { return process.HasExited ? 0 : ProcStatus.Memory(process.Id).PeakKiB; }
        catch (Exception) when (process.HasExited) { return 0; }
    }

    /// <summary>The messages in order at QoS 1 from one client, so they reach the broker in that order.</summary>
    private static void Publish(int port, IEnumerable<HomeBroker.Message> messages)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("detect-test-" + Guid.NewGuid().ToString("N")[..8]).Build())
            .GetAwaiter().GetResult();
        foreach (var message in messages)
            client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(message.Topic).WithPayload(message.Payload).WithRetainFlag(message.Retained)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).GetAwaiter().GetResult();
        client.DisconnectAsync().GetAwaiter().GetResult();
    }

    private static List<JsonElement> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static string Describe(JsonElement m) =>
        $"{m.GetProperty("format").GetString()} {m.GetProperty("topic").GetString()} {m.GetProperty("channel").GetInt32()} "
        + string.Join("; ", m.GetProperty("mapping").EnumerateObject().Select(r => r.Name + " = " + r.Value.GetString()));

    private static string Describe(HomeBroker.Meter m) =>
        $"{m.Format} {m.Topic} {m.Channel} {string.Join("; ", m.Mapping.Select(r => r.Key + " = " + r.Rule))}";

    private static Dictionary<string, string> Paths(JsonElement paths) =>
        paths.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());

    /// <summary>
    /// The binary's <c>decode</c> with the meter's config, fed every message of the broker in order that <c>run</c> would
    /// get with that config (those its subscriptions match: decode itself reads every line): its last line's paths.
    /// </summary>
    private static Dictionary<string, string> Decode(JsonElement meter, IEnumerable<HomeBroker.Message> messages)
    {
        string config = Path.Combine(Path.GetTempPath(), $"mb-detect-{Guid.NewGuid():N}.ini");
        var mapping = meter.GetProperty("mapping").EnumerateObject().Select(r => $"{r.Name} = {r.Value.GetString()}").ToList();
        File.WriteAllText(config, $"[MQTT]\nformat = {meter.GetProperty("format").GetString()}\ntopic = {meter.GetProperty("topic").GetString()}\n"
            + $"channel = {meter.GetProperty("channel").GetInt32()}\n" + (mapping.Count > 0 ? "[MAPPING]\n" + string.Join('\n', mapping) + "\n" : ""));
        try
        {
            var load = MeterBridge.Config.SettingsLoader.Load(new MeterBridge.Config.SettingsInput { ConfigPath = config });
            Assert.True(load.Ok, string.Join('\n', load.Problems));
            string input = string.Concat(messages.Where(m => load.Settings.Subscriptions.Any(f => MeterBridge.Sources.TopicFilter.Matches(f, m.Topic)))
                .Select(m => $"{m.Topic}\t{m.Payload}\n"));
            var (code, stdout, stderr) = AotBinary.Run(["decode", "--config", config], input);
            Assert.True(code == 0, stderr);
            return Paths(JsonDocument.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.GetProperty("paths"));
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>The config lines of the block whose <c>topic</c> line is this topic (comments and the blank line left out).</summary>
    private static string Block(string text, string topic)
    {
        string block = text.Split("\n\n").Single(b => b.Split('\n').Contains("topic = " + topic));
        return string.Join('\n', block.Split('\n').Where(l => !l.StartsWith('#'))) + "\n";
    }

    /// <summary>A JSON value of detect's paths as gdbus GetItems shows it.</summary>
    private static string OnBus(string json) => json == "null" ? "(<@ai []>,)" : $"(<{json}>,)";
}
