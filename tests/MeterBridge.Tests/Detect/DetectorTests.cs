using System.Buffers;
using System.Text;
using MeterBridge.Config;
using MeterBridge.Core;
using MeterBridge.Sources;
using MeterBridge.Detect;
using MeterBridge.Items;
using Xunit;

namespace MeterBridge.Tests.Detect;

/// <summary>The pure core of <c>detect</c>: topics and payloads in, meters with their config lines and readout out.</summary>
public sealed class DetectorTests
{
    private static readonly Settings Defaults = SettingsLoader.Load(new SettingsInput()).Settings;

    private static TopicLog Log(IEnumerable<(string Topic, string Payload)> messages, int maxPayloadSize = 65536)
    {
        var log = new TopicLog(maxPayloadSize);
        foreach (var (topic, payload) in messages) log.Add(topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)));
        return log;
    }

    private static List<FoundMeter> Find(params (string Topic, string Payload)[] messages) =>
        Log(messages).Read((_, kept) => Detector.Find(kept, Defaults));

    private static string Describe(FoundMeter m) =>
        $"{m.Candidate.Format} {m.Candidate.Topic} {m.Candidate.Channel} {string.Join("; ", m.Candidate.Mapping.Select(r => r.Key + " = " + r.Rule))}".TrimEnd();

    private static string Describe(HomeBroker.Meter m) =>
        $"{m.Format} {m.Topic} {m.Channel} {string.Join("; ", m.Mapping.Select(r => r.Key + " = " + r.Rule))}".TrimEnd();

    [Fact]
    public void A_home_broker_gives_every_meter_with_its_format_topic_and_channel_and_nothing_for_the_noise()
    {
        var found = Find([.. HomeBroker.Messages.Select(m => (m.Topic, m.Payload))]);
        Assert.Equal(HomeBroker.Meters.Select(Describe).Order(), found.Select(Describe).Order());
    }

    [Fact]
    public void The_readout_is_what_decode_shows_for_the_same_messages_in_the_same_order()
    {
        foreach (FoundMeter meter in Find([.. HomeBroker.Messages.Select(m => (m.Topic, m.Payload))]))
        {
            // decode's own path: the candidate's settings, every message on its subscriptions, one by one.
            var readout = new MeterReadout(meter.Settings.Limits, MappedDecoder.For(meter.Settings.Source));
            foreach (var message in HomeBroker.Messages.Where(m => meter.Settings.Subscriptions.Any(f => TopicFilter.Matches(f, m.Topic))))
                readout.Apply(message.Topic, Encoding.UTF8.GetBytes(message.Payload));
            Assert.Equal(Paths(readout), Paths(meter.Readout));
        }
    }

    private static string Paths(MeterReadout readout)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            readout.WritePaths(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Newer_notifications_count_and_a_meter_shows_its_newest_values()
    {
        var found = Find([.. HomeBroker.Messages.Select(m => (m.Topic, m.Payload))]);
        var pro3em = Assert.Single(found, m => m.Candidate.Topic == HomeBroker.Pro3em);
        Assert.Equal(3, pro3em.Messages);
        Assert.Equal(3, pro3em.Phases);
        Assert.Equal(-281.0, pro3em.Readout.Shown(Location.Total, Quantity.Power));
        Assert.Equal(408.8, pro3em.Readout.Shown(Location.L2, Quantity.Power));
        var statestream = Assert.Single(found, m => m.Candidate.Topic == HomeBroker.Statestream);
        Assert.Equal(2, statestream.Messages);
        Assert.Equal(-298.7, statestream.Readout.Shown(Location.Total, Quantity.Power));
    }

    [Fact]
    public void Presets_come_before_custom_suggestions_and_busier_meters_first()
    {
        var found = Find([.. HomeBroker.Messages.Select(m => (m.Topic, m.Payload))]);
        int firstCustom = found.FindIndex(m => m.Candidate.Format == "custom");
        Assert.True(firstCustom >= 0 && found.Skip(firstCustom).All(m => m.Candidate.Format == "custom"), string.Join("\n", found.Select(Describe)));
        Assert.Equal("shelly-gen1-3em", found[0].Candidate.Format); // 8 messages with values
    }

    [Fact]
    public void A_Shelly_whose_notifications_carry_no_reading_or_a_switch_without_metering_is_no_meter()
    {
        Assert.Empty(Find(
            ("shellyplus1-80646fe1a2b4/status/switch:0", """{"id":0,"source":"init","output":false,"temperature":{"tC":41.2}}"""),
            ("shellypro3em-1/events/rpc", """{"src":"x","method":"NotifyEvent","params":{"ts":1.0,"events":[{"component":"sys","event":"scheduled_restart"}]}}"""),
            ("shellypro3em-1/status/sys", """{"mac":"08F9E0E5A8B4","uptime":123,"ram_free":123456}""")));
    }

    [Fact]
    public void Every_channel_of_a_Pro_EM_and_every_switch_is_its_own_meter_from_status_or_rpc()
    {
        var found = Find(
            ("pro/status/em1:0", """{"id":0,"act_power":2.3,"voltage":229.5}"""),
            ("pro/events/rpc", """{"method":"NotifyStatus","params":{"em1:1":{"id":1,"act_power":5080.3},"switch:2":{"id":2,"apower":12.5}}}"""));
        Assert.Equal(["shelly-gen2-em1 pro 0", "shelly-gen2-em1 pro 1", "shelly-gen2-pm pro 2"], found.Select(Describe).Order());
    }

    [Fact]
    public void A_Shelly_EM_Gen1_is_a_meter_per_channel_and_a_3EM_one_meter()
    {
        var found = Find(
            ("shellies/shellyem-D3B45C/emeter/0/power", "1520.4"), ("shellies/shellyem-D3B45C/emeter/1/power", "-225.05"),
            ("shellies/shellyem-D3B45C/emeter/1/reactive_power", "12.1"),
            ("shellies/my3em/emeter/0/power", "10"), ("shellies/my3em/emeter/1/power", "20"), ("shellies/my3em/emeter/2/power", "30"));
        Assert.Equal(["shelly-gen1-3em shellies/my3em 0", "shelly-gen1-em shellies/shellyem-D3B45C 0", "shelly-gen1-em shellies/shellyem-D3B45C 1"],
            found.Select(Describe).Order());
    }

    [Fact]
    public void Named_numbers_that_share_their_other_words_are_one_meter_with_a_rule_each()
    {
        var found = Find(
            ("homeassistant/sensor/grid_power/state", "-312.4"), ("homeassistant/sensor/grid_energy_import/state", "18342.117"),
            ("homeassistant/sensor/grid_energy_export/state", "912.5"), ("homeassistant/sensor/solar_power/state", "2100"),
            ("homeassistant/sensor/grid_energy_daily/state", "12.1"), ("homeassistant/sensor/grid_power_factor/state", "0.93"),
            ("energy-meter/sensor/power_l1/state", "100"), ("energy-meter/sensor/power_l2/state", "200"), ("energy-meter/sensor/total_energy_wh/state", "4417727"),
            ("openhab/out/Heatpump_Power/state", "880"));
        Assert.Equal(
        [
            "custom energy-meter/sensor 0 power_L1 = {topic}/power_l1/state; power_L2 = {topic}/power_l2/state; energy_forward = {topic}/total_energy_wh/state * 0.001",
            "custom homeassistant/sensor 0 power = {topic}/grid_power/state; power_factor = {topic}/grid_power_factor/state; energy_forward = {topic}/grid_energy_import/state; energy_reverse = {topic}/grid_energy_export/state",
            "custom homeassistant/sensor/solar_power/state 0 power = {topic}",
            "custom openhab/out/Heatpump_Power/state 0 power = {topic}",
        ], found.Select(Describe).Order());
        var energyMeter = Assert.Single(found, m => m.Candidate.Topic == "energy-meter/sensor");
        Assert.Equal(4417.727, energyMeter.Readout.Shown(Location.Total, Quantity.EnergyForward), 6);
        Assert.Equal(300, energyMeter.Readout.Shown(Location.Total, Quantity.Power));
    }

    [Fact]
    public void A_value_the_meter_rejects_is_no_meter_and_the_same_device_is_found_once()
    {
        Assert.Empty(Find(("tele/plug/SENSOR", """{"ENERGY":{"Power":999999}}"""), ("zigbee2mqtt/x", """{"power":"ON","linkquality":3}""")));
        var found = Find(("z/1", """{"grid":{"power":1}}"""), ("z/1", """{"grid":{"power":2}}"""));
        Assert.Equal(2, Assert.Single(found).Messages);
    }

    [Fact]
    public void Config_lines_with_placeholder_braces_or_blanks_in_a_topic_still_compile()
    {
        var found = Find(("zigbee2mqtt/Living room plug", """{"power":42,"linkquality":80}"""),
            ("meters/{x}", """{"power_{l1}":1,"net power":5}"""));
        Assert.Equal(["custom meters/{x} 0 power = {topic} /net power", "zigbee2mqtt zigbee2mqtt/Living room plug 0"], found.Select(Describe).Order());
    }

    [Theory]
    [InlineData("grid_power", "power", "grid")]
    [InlineData("Power_curr", "power", "")]
    [InlineData("Total_in", "energy_forward", "")]
    [InlineData("Total_out", "energy_reverse", "")]
    [InlineData("GridEnergyExport", "energy_reverse", "grid")]
    [InlineData("power_l3", "power_L3", "")]
    [InlineData("power_phase_b", "power_L2", "")]
    [InlineData("import_wh", "energy_forward", "")]
    [InlineData("ApparentPower", null, null)]
    [InlineData("power_factor", "power_factor", "")]
    [InlineData("grid_voltage_l2", "voltage_L2", "grid")]
    [InlineData("current", "current", "")]
    [InlineData("current_power", "power", "")]
    [InlineData("mains_frequency", "frequency", "mains")]
    [InlineData("transmit_power", null, null)]
    [InlineData("energy_today", null, null)]
    [InlineData("temperature", null, null)]
    public void A_name_says_which_quantity(string name, string? key, string? stem)
    {
        var meaning = NameWords.Read(name);
        Assert.Equal(key, meaning?.Key);
        Assert.Equal(stem, meaning?.Stem);
    }

    private static List<(string Topic, string Payload)> Kept(TopicLog log) =>
        log.Read((_, kept) => kept.Select(m => (m.Topic.Topic, Encoding.UTF8.GetString(m.Payload))).ToList());

    [Fact]
    public void The_log_keeps_a_count_and_every_message_in_order_and_a_repeat_only_once()
    {
        var log = Log([("a", "1"), ("a", "22"), ("b", new string('x', 101)), ("b", "3"), ("a", "22")], maxPayloadSize: 100);
        Assert.Equal(5, log.Messages);
        Assert.Equal(1, log.NotKept);
        Assert.Equal([("a", "1"), ("b", "3"), ("a", "22")], Kept(log));
        var seen = log.Read(topics => topics.ToDictionary(t => t.Topic, t => (t.Count, Encoding.UTF8.GetString(t.Payload!))));
        Assert.Equal((3L, "22"), seen["a"]);
        Assert.Equal((2L, "3"), seen["b"]);
    }

    [Fact]
    public void The_log_stays_within_its_bounds_dropping_the_oldest_superseded_messages_and_never_a_topics_newest()
    {
        var many = new TopicLog(65536);
        var payload = new ReadOnlySequence<byte>(new byte[60000]);
        for (int i = 0; i < TopicLog.MaxTopics + 10; i++) many.Add("t/" + i, payload);
        Assert.Equal(TopicLog.MaxTopics, many.TopicCount);
        long kept = many.Read(topics => topics.Sum(t => (long)(t.Payload?.Length ?? 0)));
        Assert.InRange(kept, TopicLog.MaxBytes - 60000, TopicLog.MaxBytes);

        // One busy topic among quiet ones: by count, then by bytes, the busy topic's oldest go first.
        var busy = new TopicLog(65536);
        busy.Add("quiet", new ReadOnlySequence<byte>("7"u8.ToArray()));
        for (int i = 0; i < TopicLog.MaxMessages + 100; i++) busy.Add("busy", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(i.ToString())));
        Assert.Equal(TopicLog.MaxMessages, busy.KeptCount);
        Assert.Equal(101, busy.Evicted);
        var order = Kept(busy);
        Assert.Equal(("quiet", "7"), order[0]);
        Assert.Equal(("busy", "101"), order[1]);
        Assert.Equal(("busy", (TopicLog.MaxMessages + 99).ToString()), order[^1]);

        var large = new TopicLog(65536);
        for (int i = 0; i < 300; i++) large.Add("big", new ReadOnlySequence<byte>(new byte[60000 + i]));
        long bytes = large.Read((_, k) => k.Sum(m => (long)m.Payload.Length));
        Assert.InRange(bytes, TopicLog.MaxBytes - 61000, TopicLog.MaxBytes);
        Assert.Equal(60299, large.Read(topics => topics.Single().Payload!.Length));
    }
}
