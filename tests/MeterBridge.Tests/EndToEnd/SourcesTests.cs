using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// Real devices' messages as they publish them, through mosquitto_pub, the AOT binary with a preset or a mapping,
/// and gdbus GetItems: what a GX reads. Energies arrive in Wh and must show in kWh.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SourcesTests
{
    private const string Pro3em = "shellypro3em-08f9e0e5a8b4";

    [Fact]
    public void A_Shelly_Pro_3EM_status_objects_then_notifications_that_carry_only_what_changed()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(Pro3em, extra: ["--format", "shelly-gen2-em", "--logging", "DEBUG"]);
        Assert.Contains(bridge.Lines, l => l.Contains($"subscribed to {Pro3em}/status/em:0, {Pro3em}/events/rpc, {Pro3em}/status/emdata:0"));

        rig.Publish("""{"id":0,"a_current":10.626,"a_voltage":233.9,"a_act_power":2407.9,"a_aprt_power":2484.2,"a_pf":0.97,"a_freq":49.98,"b_current":1.865,"b_voltage":237.1,"b_act_power":408.8,"b_aprt_power":442.2,"b_pf":-0.93,"b_freq":49.98,"c_current":1.111,"c_voltage":237.2,"c_act_power":222.8,"c_aprt_power":263.3,"c_pf":-0.88,"c_freq":49.98,"n_current":null,"total_current":13.602,"total_act_power":3039.524,"total_aprt_power":3189.632,"user_calibrated_phase":[]}""",
            topic: $"{Pro3em}/status/em:0");
        rig.Publish("""{"id":0,"a_total_act_energy":5631.61,"a_total_act_ret_energy":1204.55,"b_total_act_energy":5934.31,"b_total_act_ret_energy":12.07,"c_total_act_energy":8703.38,"c_total_act_ret_energy":3.90,"total_act":20269.29,"total_act_ret":1220.52}""",
            topic: $"{Pro3em}/status/emdata:0");
        WaitForItems(rig, bridge, new()
        {
            ["/Ac/Power"] = 3039.524, ["/Ac/L1/Power"] = 2407.9, ["/Ac/L2/Power"] = 408.8, ["/Ac/L3/Power"] = 222.8,
            ["/Ac/L1/Voltage"] = 233.9, ["/Ac/L3/Current"] = 1.111, ["/Ac/L2/PowerFactor"] = -0.93, ["/NrOfPhases"] = 3,
            ["/Ac/Energy/Forward"] = 20.26929, ["/Ac/Energy/Reverse"] = 1.22052, ["/Ac/L1/Energy/Forward"] = 5.63161, ["/Ac/L3/Energy/Reverse"] = 0.0039,
        });

        // NotifyStatus frames carry only what changed; the rest keeps its value.
        rig.Publish("""{"src":"DEV","dst":"DEV/events","method":"NotifyStatus","params":{"ts":1788945292.88,"em:0":{"id":0,"a_act_power":-912.6,"total_act_power":-281.0}}}""".Replace("DEV", Pro3em),
            topic: $"{Pro3em}/events/rpc");
        WaitForItems(rig, bridge, new() { ["/Ac/Power"] = -281.0, ["/Ac/L1/Power"] = -912.6, ["/Ac/L2/Power"] = 408.8, ["/Ac/L1/Voltage"] = 233.9 });
        rig.Publish("""{"src":"DEV","dst":"DEV/events","method":"NotifyStatus","params":{"ts":1788945300.0,"emdata:0":{"id":0,"total_act":20270.0}}}""".Replace("DEV", Pro3em),
            topic: $"{Pro3em}/events/rpc");
        WaitForItems(rig, bridge, new() { ["/Ac/Energy/Forward"] = 20.27, ["/Ac/Energy/Reverse"] = 1.22052, ["/Ac/Power"] = -281.0 });

        // A NotifyEvent carries no mapped value: ignored at DEBUG, never a warning.
        rig.Publish("""{"src":"DEV","dst":"DEV/events","method":"NotifyEvent","params":{"ts":1788945301.0,"events":[{"component":"sys","event":"scheduled_restart","time_ms":997,"ts":1788945301.0}]}}""".Replace("DEV", Pro3em),
            topic: $"{Pro3em}/events/rpc");
        Assert.True(bridge.WaitForLine($"DEBUG ignored a message on {Pro3em}/events/rpc: no mapped value", Rig.Deadline), bridge.Log);
        Assert.DoesNotContain(bridge.Lines, l => l.StartsWith("WARNING rejected"));
        rig.AssertValue("/Ac/Power", "(<-281.0>,)");
    }

    [Fact]
    public void A_Shelly_Gen1_3EM_bare_numbers_per_phase_and_the_total_energy_as_their_sum()
    {
        using var rig = new Rig();
        const string device = "shellies/shellyem3-68C63AFAF952";
        var bridge = rig.StartBridge(device, extra: ["--format", "shelly-gen1-3em"]);

        (string Topic, string Payload)[] messages =
        [
            ("emeter/0/power", "120.11"), ("emeter/1/power", "35.2"), ("emeter/2/power", "-225.05"),
            ("emeter/0/voltage", "231.84"), ("emeter/0/total", "10533.1"), ("emeter/1/total", "2000"), ("emeter/2/total", "467.9"),
            ("relay/0", "off"),
        ];
        foreach (var (topic, payload) in messages) rig.Publish(payload, topic: $"{device}/{topic}");
        WaitForItems(rig, bridge, new()
        {
            ["/Ac/Power"] = -69.74, ["/Ac/L1/Power"] = 120.11, ["/Ac/L2/Power"] = 35.2, ["/Ac/L3/Power"] = -225.05, ["/NrOfPhases"] = 3,
            ["/Ac/L1/Voltage"] = 231.84, ["/Ac/L1/Energy/Forward"] = 10.5331, ["/Ac/Energy/Forward"] = 13.001,
        });
    }

    [Fact]
    public void Home_Assistant_statestream_unavailable_then_numbers_and_wildcards_in_a_mapping()
    {
        using var rig = new Rig();
        string config = Path.Combine(Path.GetTempPath(), $"mb-e2e-{Guid.NewGuid():N}.ini");
        File.WriteAllText(config, """
            [DEFAULT]
            format = custom
            [MAPPING]
            power = homeassistant/sensor/grid_power/state
            energy_forward = homeassistant/sensor/grid_energy_import/state
            voltage_L1 = energy-meter/+/voltage_l1/state
            voltage_L2 = meters/# /l2/voltage
            """);
        try
        {
            var bridge = rig.StartBridge(extra: ["--config", config]);
            rig.Publish("unavailable", topic: "homeassistant/sensor/grid_power/state");
            rig.Publish("unknown", topic: "homeassistant/sensor/grid_energy_import/state");
            Assert.False(rig.WaitOnBus(true, TimeSpan.FromSeconds(1)), "registered on a message with no value:\n" + bridge.Log);

            rig.Publish("-312.4", topic: "homeassistant/sensor/grid_power/state");
            rig.Publish("18342.117", topic: "homeassistant/sensor/grid_energy_import/state");
            rig.Publish("231.5", topic: "energy-meter/sensor/voltage_l1/state");
            rig.Publish("""{"l2":{"voltage":"229.25"}}""", topic: "meters/house/grid");
            WaitForItems(rig, bridge, new()
            {
                ["/Ac/Power"] = -312.4, ["/Ac/Energy/Forward"] = 18342.117, ["/Ac/L1/Voltage"] = 231.5, ["/Ac/L2/Voltage"] = 229.25, ["/NrOfPhases"] = 2,
            });
            rig.Publish("unavailable", topic: "homeassistant/sensor/grid_power/state");
            rig.Publish("1045.0", topic: "homeassistant/sensor/grid_power/state");
            WaitForItems(rig, bridge, new() { ["/Ac/Power"] = 1045.0 });
        }
        finally
        {
            File.Delete(config);
        }
    }

    /// <summary>Polls GetItems until every path shows its number; fails with what differs and the log's end.</summary>
    private static void WaitForItems(Rig rig, BridgeProcess bridge, Dictionary<string, double> expected)
    {
        List<string> wrong = ["(not polled)"];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Rig.Deadline)
        {
            var items = rig.GetItems();
            wrong = [.. expected.Where(e => !items.TryGetValue(e.Key, out string? got) || !Rig.Same(got, Show(e.Value))
                                                 && !Near(got, e.Value))
                .Select(e => $"{e.Key}: expected {e.Value}, got {items.GetValueOrDefault(e.Key) ?? "(absent)"}")];
            if (wrong.Count == 0) return;
            Thread.Sleep(50);
        }
        Assert.Fail("D-Bus does not show:\n" + string.Join('\n', wrong) + "\nlog (end):\n" + string.Join('\n', bridge.Lines.TakeLast(20)));
    }

    private static string Show(double value) => "(<" + value.ToString("R", CultureInfo.InvariantCulture) + ">,)";

    /// <summary>Sums and scaled values may differ in the last digits: the vectors' tolerance.</summary>
    private static bool Near(string answer, double want) =>
        answer.StartsWith("(<") && answer.EndsWith(">,)")
        && double.TryParse(answer[2..^3], NumberStyles.Float, CultureInfo.InvariantCulture, out double got)
        && Math.Abs(got - want) <= Math.Max(1e-6 * Math.Abs(want), 0.005);
}
