using System.Buffers;
using System.Text;
using System.Text.Json;
using MeterBridge.Cli;
using MeterBridge.Config;
using MeterBridge.Core;
using MeterBridge.Detect;
using MeterBridge.Sources;
using Xunit;

namespace MeterBridge.Tests.Detect;

/// <summary>
/// Detect tells the truth (issue 26): what it shows for a meter is what <c>decode</c> (and <c>run</c>) shows after the
/// same messages in the same order, and each device is one report. The issue's cases, each of which the newest message
/// per topic got wrong.
/// </summary>
public sealed class ReplayTests
{
    private static readonly Settings Defaults = SettingsLoader.Load(new SettingsInput()).Settings;

    private static List<FoundMeter> Find(IEnumerable<(string Topic, string Payload)> messages)
    {
        var log = new TopicLog(65536);
        foreach (var (topic, payload) in messages) log.Add(topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)));
        return DetectSession.Found(log, Defaults);
    }

    private static List<FoundMeter> Find(params (string Topic, string Payload)[] messages) => Find((IEnumerable<(string, string)>)messages);

    private static (string Topic, string Payload)[] Home => [.. HomeBroker.Messages.Select(m => (m.Topic, m.Payload))];

    private static string Describe(FoundMeter m) =>
        $"{m.Candidate.Format} {m.Candidate.Topic} {m.Candidate.Channel} {string.Join("; ", m.Candidate.Mapping.Select(r => r.Key + " = " + r.Rule))}".TrimEnd();

    /// <summary>The config lines a user pastes from detect's report, as <c>decode --config</c> reads them.</summary>
    private static Settings Config(FoundMeter meter)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mb-replay-{Guid.NewGuid():N}.ini");
        var c = meter.Candidate;
        File.WriteAllText(path, $"[MQTT]\nformat = {c.Format}\ntopic = {c.Topic}\nchannel = {c.Channel}\n"
            + (c.Mapping.Count > 0 ? "[MAPPING]\n" + string.Concat(c.Mapping.Select(m => $"{m.Key} = {m.Rule}\n")) : ""));
        try
        {
            SettingsLoad load = SettingsLoader.Load(new SettingsInput { ConfigPath = path });
            Assert.True(load.Ok, string.Join("\n", load.Problems));
            return load.Settings;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// <c>decode</c> with the meter's config of every message <c>run</c> would get with it (those its subscriptions
    /// match: decode itself reads every line), <c>TOPIC&lt;TAB&gt;PAYLOAD</c> a line: its last line's paths.
    /// </summary>
    private static Dictionary<string, string> Decode(FoundMeter meter, IEnumerable<(string Topic, string Payload)> messages)
    {
        Settings config = Config(meter);
        var subscribed = messages.Where(m => config.Subscriptions.Any(f => TopicFilter.Matches(f, m.Topic)));
        var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(subscribed.Select(m => $"{m.Topic}\t{m.Payload}\n"))));
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, DecodeCommand.Run(config, input, output));
        string last = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return Paths(JsonDocument.Parse(last).RootElement.GetProperty("paths"));
    }

    private static Dictionary<string, string> Detected(FoundMeter meter) =>
        Paths(JsonDocument.Parse(DetectJson.Of(meter)).RootElement.GetProperty("paths"));

    private static Dictionary<string, string> Paths(JsonElement paths) =>
        paths.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());

    private static double Shown(FoundMeter meter, Location location, Quantity quantity) => meter.Readout.Shown(location, quantity);

    [Fact]
    public void For_every_format_detect_shows_every_path_decode_shows_for_the_same_messages_in_the_same_order()
    {
        var found = Find(Home);
        Assert.Equal(Presets.Formats.Order(), found.Select(m => m.Candidate.Format).Distinct().Order());
        foreach (FoundMeter meter in found)
        {
            var detected = Detected(meter);
            Assert.True(detected.Count > 5, Describe(meter));
            Assert.Equal(Decode(meter, Home), detected);
        }
    }

    [Fact]
    public void The_home_broker_is_one_report_per_meter_and_nothing_else()
    {
        var found = Find(Home);
        Assert.Equal(HomeBroker.Meters.Select(m => $"{m.Format} {m.Topic} {m.Channel} {string.Join("; ", m.Mapping.Select(r => r.Key + " = " + r.Rule))}".TrimEnd()).Order(),
            found.Select(Describe).Order());
        Assert.Equal(HomeBroker.Devices, found.Select(m => m.Candidate.Topic).Distinct().Count());
    }

    [Fact]
    public void A_Pro_3EM_on_events_rpc_alone_keeps_its_L1_and_L3_power_and_its_energy_from_earlier_notifications()
    {
        var messages = Home.Where(m => m.Topic.StartsWith(HomeBroker.Pro3emRpc, StringComparison.Ordinal)).ToArray();
        FoundMeter meter = Assert.Single(Find(messages));
        Assert.Equal(-930.2, Shown(meter, Location.L1, Quantity.Power));
        Assert.Equal(310.4, Shown(meter, Location.L2, Quantity.Power));
        Assert.Equal(-420.7, Shown(meter, Location.L3, Quantity.Power));
        Assert.Equal(-1040.5, Shown(meter, Location.Total, Quantity.Power));
        Assert.Equal(2.9707, Shown(meter, Location.Total, Quantity.EnergyForward), 9);
        Assert.Equal(5.2227, Shown(meter, Location.Total, Quantity.EnergyReverse), 9);
        Assert.Equal(Decode(meter, messages), Detected(meter));
    }

    [Fact]
    public void A_Gen1_3EM_whose_newest_value_of_a_phase_is_rejected_shows_the_total_the_meter_shows()
    {
        const string prefix = "shellies/shellyem3-C45BBE6A2F11";
        (string, string)[] messages =
        [
            ($"{prefix}/emeter/0/power", "-1390.45"), ($"{prefix}/emeter/1/power", "-370.55"), ($"{prefix}/emeter/2/power", "1204.33"),
            ($"{prefix}/emeter/0/power", "-1390.45"), ($"{prefix}/emeter/1/power", "-370.55"),
            ($"{prefix}/emeter/2/power", "99999.9"), // a glitch beyond power_threshold_per_phase: rejected, the meter keeps 1204.33
        ];
        FoundMeter meter = Assert.Single(Find(messages));
        Assert.Equal("shelly-gen1-3em", meter.Candidate.Format);
        Assert.Equal(-556.67, Shown(meter, Location.Total, Quantity.Power), 9); // the newest payloads alone gave -1761
        Assert.Equal(1204.33, Shown(meter, Location.L3, Quantity.Power));
        Assert.Equal(Decode(meter, messages), Detected(meter));
    }

    [Fact]
    public void A_dbus_mqtt_grid_publisher_sending_power_and_counters_apart_is_shown_with_its_power()
    {
        var messages = Home.Where(m => m.Topic == HomeBroker.SeedApart).ToArray();
        FoundMeter meter = Assert.Single(Find(messages));
        Assert.Equal(812.3, Shown(meter, Location.Total, Quantity.Power));
        Assert.Equal(4321.08, Shown(meter, Location.Total, Quantity.EnergyForward));
        Assert.True(meter.ShowsPower);
        Assert.Equal(Decode(meter, messages), Detected(meter));
    }

    [Fact]
    public void A_house_of_four_meters_is_four_reports_not_seven()
    {
        // The newest-message detect reported a Gen1 3EM's info as a meter, an ESPHome node as two (power, energy) and a
        // Shelly EM's unwired clamp as another: seven.
        var messages = Home.Where(m => m.Topic.StartsWith(HomeBroker.Gen1 + "/", StringComparison.Ordinal)
            || m.Topic.StartsWith(HomeBroker.Gen1Em + "/", StringComparison.Ordinal) || m.Topic.StartsWith("esp-grid/", StringComparison.Ordinal)
            || m.Topic == HomeBroker.DualR3).ToArray();
        var found = Find(messages);
        Assert.Equal(
        [
            "custom esp-grid/sensor 0 power = {topic}/grid_power/state; voltage = {topic}/mains_voltage/state; energy_forward = {topic}/total_energy_import/state",
            "shelly-gen1-3em shellies/shellyem3-68C63AFAF952 0",
            "shelly-gen1-em shellies/shellyem-B8A4C1 0",
            "tasmota-energy tele/tasmota_DUALR3/SENSOR 1",
            "tasmota-energy tele/tasmota_DUALR3/SENSOR 2",
        ], found.Select(Describe).Order());
        var esphome = Assert.Single(found, m => m.Candidate.Format == "custom");
        Assert.Equal(229.8, Shown(esphome, Location.Total, Quantity.Voltage));
        Assert.Equal(5123.456, Shown(esphome, Location.Total, Quantity.EnergyForward));
        foreach (FoundMeter relay in found.Where(m => m.Candidate.Format == "tasmota-energy"))
        {
            Assert.Equal(1, relay.Phases);
            Assert.Equal(relay.Candidate.Channel == 1 ? 85 : 12, Shown(relay, Location.Total, Quantity.Power));
            Assert.Equal(231, Shown(relay, Location.Total, Quantity.Voltage));
        }
    }

    [Fact]
    public void A_second_channel_is_reported_when_it_carries_a_meter_of_its_own()
    {
        var found = Find(
            ("shellies/shellyem-1/emeter/0/power", "0.00"), ("shellies/shellyem-1/emeter/1/power", "0.00"),
            ("pro/status/em1:0", """{"id":0,"act_power":0.0,"voltage":229.5}"""), ("pro/status/em1:1", """{"id":1,"act_power":0.0,"voltage":229.5}"""),
            ("plus2pm/status/switch:0", """{"id":0,"apower":0.0,"aenergy":{"total":1520.3}}"""), ("plus2pm/status/switch:1", """{"id":1,"apower":42.1}"""));
        Assert.Equal(["shelly-gen1-em shellies/shellyem-1 0", "shelly-gen2-em1 pro 0", "shelly-gen2-pm plus2pm 0", "shelly-gen2-pm plus2pm 1"],
            found.Select(Describe).Order());
    }

    [Fact]
    public void The_JSON_guesses_of_one_topic_are_one_mapping_with_every_quantity_found()
    {
        var found = Find(("house/meter", """{"power_w":1250}"""), ("house/meter", """{"import_kwh":4417.2,"voltage":231.5}"""));
        FoundMeter meter = Assert.Single(found);
        Assert.Equal("custom house/meter 0 power = {topic} /power_w; voltage = {topic} /voltage; energy_forward = {topic} /import_kwh", Describe(meter));
        Assert.Equal(1250, Shown(meter, Location.Total, Quantity.Power));
        Assert.Equal(4417.2, Shown(meter, Location.Total, Quantity.EnergyForward));
    }

    [Fact]
    public void A_battery_voltage_in_millivolts_beside_a_power_leaves_the_power_alone()
    {
        FoundMeter meter = Assert.Single(Find(("garage/plug", """{"power":42.5,"voltage":3012}""")));
        Assert.Equal("custom garage/plug 0 power = {topic} /power", Describe(meter));
    }

    [Fact]
    public void A_number_topic_whose_newest_says_unavailable_is_still_its_meter_as_decode_shows_it()
    {
        (string, string)[] messages = [("homeassistant/sensor/house_power/state", "-312.4"), ("homeassistant/sensor/house_power/state", "unavailable")];
        FoundMeter meter = Assert.Single(Find(messages));
        Assert.Equal("custom homeassistant/sensor/house_power/state 0 power = {topic}", Describe(meter));
        Assert.Equal(Decode(meter, messages), Detected(meter));
    }

    [Fact]
    public void A_Home_Assistant_device_with_power_voltage_and_energy_apart_is_one_meter_and_its_neighbours_their_own()
    {
        var found = Find(
            ("homeassistant/sensor/house_meter_power/state", "1520.4"), ("homeassistant/sensor/house_meter_voltage/state", "230.9"),
            ("homeassistant/sensor/house_meter_total_energy/state", "18342.117"), ("homeassistant/sensor/house_meter_power/unit_of_measurement", "\"W\""),
            ("homeassistant/sensor/solar_power/state", "2100"), ("homeassistant/sensor/boiler_voltage/state", "229.1"));
        Assert.Equal(
        [
            "custom homeassistant/sensor 0 power = {topic}/house_meter_power/state; voltage = {topic}/house_meter_voltage/state; energy_forward = {topic}/house_meter_total_energy/state",
            "custom homeassistant/sensor/solar_power/state 0 power = {topic}",
        ], found.Select(Describe).Order());
        var house = Assert.Single(found, m => m.Candidate.Topic == "homeassistant/sensor");
        Assert.Equal(230.9, Shown(house, Location.Total, Quantity.Voltage));
    }
}
