using System.Text;
using MeterBridge.Config;
using MeterBridge.Core;
using MeterBridge.Sources;
using Xunit;

namespace MeterBridge.Tests.Sources;

/// <summary>A mapped source's decoder: the rules' precedence, one pass over the JSON for all pointers, bare payloads,
/// how a rejection is named, and no allocation.</summary>
public class MappedDecoderTests
{
    private static Reading Decode(string mapping, string topic, string payload, out Verdict verdict)
    {
        var problems = new List<SourceProblem>();
        var entries = mapping.Split(';').Select(kv => kv.Split('=', 2)).Select(kv => new MappingEntry(kv[0].Trim(), kv[1].Trim(), "c.ini:1")).ToList();
        var source = SourceCompiler.Compile("custom", "t", 0, entries, problems);
        Assert.Empty(problems);
        var reading = Reading.Empty();
        verdict = new MappedDecoder(source!).Decode(topic, Encoding.UTF8.GetBytes(payload), ref reading);
        return reading;
    }

    [Fact]
    public void Of_two_rules_for_one_quantity_the_first_written_wins_wherever_its_value_stands()
    {
        var reading = Decode("power = t /b\n t /a", "t", """{"a":1,"b":2}""", out var verdict);
        Assert.True(verdict.IsAccepted);
        Assert.Equal(2, reading[Location.Total, Quantity.Power]);
        reading = Decode("power = t /b\n t /a", "t", """{"a":1}""", out _);
        Assert.Equal(1, reading[Location.Total, Quantity.Power]);
    }

    [Fact]
    public void Pointers_read_escaped_keys_array_elements_and_nested_rules_in_one_pass()
    {
        var reading = Decode("power = t /a~1b; power_L1 = t /P/0; power_L2 = t /P/1; voltage = t /n; current = t /n/c", "t",
            """{"a/b":5,"P":[10,"20"],"n":{"c":3}}""", out var verdict);
        Assert.True(verdict.IsAccepted, verdict.Describe(new MeterLimits()));
        Assert.Equal(5, reading[Location.Total, Quantity.Power]);
        Assert.Equal(10, reading[Location.L1, Quantity.Power]);
        Assert.Equal(20, reading[Location.L2, Quantity.Power]);
        Assert.True(double.IsNaN(reading[Location.Total, Quantity.Voltage])); // an object is not carried
        Assert.Equal(3, reading[Location.Total, Quantity.Current]);
    }

    [Theory]
    [InlineData("""{"p":true}""", RejectReason.NotANumber)]
    [InlineData("""{"p":"NaN"}""", RejectReason.NotANumber)]
    [InlineData("""{"p":1e999}""", RejectReason.NotANumber)]
    [InlineData("""{"p":1} x""", RejectReason.NotJson)]
    [InlineData("not json", RejectReason.NotJson)]
    [InlineData("""{"q":1}""", RejectReason.NoMappedValue)]
    [InlineData("""{"p":null}""", RejectReason.NoMappedValue)]
    [InlineData("""[1,2]""", RejectReason.NoMappedValue)]
    public void What_a_pointer_finds_decides_the_message(string payload, RejectReason reason)
    {
        Decode("power = t /p", "t", payload, out var verdict);
        Assert.Equal(reason, verdict.Reason);
    }

    [Fact]
    public void A_message_on_a_topic_no_rule_names_is_ignored()
    {
        Decode("power = t /p", "other", """{"p":1}""", out var verdict);
        Assert.Equal(RejectReason.NoMappedValue, verdict.Reason);
    }

    [Theory]
    [InlineData("12.5", true)]
    [InlineData("\"-5e2\"", true)]
    [InlineData("UNAVAILABLE", false)]
    [InlineData("\"None\"", false)]
    [InlineData("", false)]
    [InlineData("{\"a\":1}", false)]
    public void A_bare_payload_is_a_number_or_not_carried(string payload, bool carried)
    {
        var reading = Decode("power = t", "t", payload, out var verdict);
        Assert.Equal(carried, verdict.IsAccepted);
        Assert.Equal(carried ? RejectReason.None : RejectReason.NoMappedValue, verdict.Reason);
        Assert.Equal(carried, !double.IsNaN(reading[Location.Total, Quantity.Power]));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("true")]
    [InlineData("\"W\"")]
    [InlineData("1e999")]
    public void A_bare_payload_that_is_neither_rejects_the_message(string payload)
    {
        Decode("power = t", "t", payload, out var verdict);
        Assert.Equal(RejectReason.NotANumber, verdict.Reason);
    }

    [Fact]
    public void Without_a_source_the_decoder_is_the_seed_formats()
    {
        Assert.Same(PayloadDecoder.Instance, MappedDecoder.For(null));
        Assert.False(MappedDecoder.For(null).Mapped);
        var source = SourceCompiler.Compile("custom", "t", 0, [new MappingEntry("power", "t", "c.ini:1")], []);
        Assert.IsType<MappedDecoder>(MappedDecoder.For(source));
        Assert.True(MappedDecoder.For(source).Mapped);
    }

    [Fact]
    public void A_rejection_names_the_MAPPING_key_not_the_seed_JSON_key()
    {
        var settings = SettingsLoader.Load(new SettingsInput { Flags = new Dictionary<string, string> { ["format"] = "tasmota-energy", ["topic"] = "t" } }).Settings;
        var meter = new Meter(settings.Limits, MappedDecoder.For(settings.Source));
        Assert.Equal("power_L2 is not a number",
            meter.Apply("t", """{"ENERGY":{"Power":[1,true,3]}}"""u8).Describe(settings.Limits));
        Assert.Equal("power = 999999 W is outside ±69000 W",
            meter.Apply("t", """{"ENERGY":{"Power":999999}}"""u8).Describe(settings.Limits));
    }

    [Fact]
    public void A_mapped_value_is_checked_after_its_factor()
    {
        // check refuses such a factor; a source built past it still cannot show 100 000 000 A.
        var rule = new MappingRule(Location.Total, Quantity.Current, "t", JsonPointer.Parse("/c", out _), 1e308);
        var meter = new Meter(new MeterLimits(), new MappedDecoder(new MappedSource("custom", [rule], ["t"], [])));
        string reason = meter.Apply("t", """{"c":1e-300}"""u8).Describe(meter.State.Limits);
        string shown = (1e-300 * 1e308).ToString("R", System.Globalization.CultureInfo.InvariantCulture); // 100000000, give or take the last bit
        Assert.Equal($"current = {shown} A is outside ±1380 A", reason);
        Assert.False(meter.HasData);
    }

    [Fact]
    public void Tasmota_channel_2_reads_the_second_element_of_a_dual_channel_device_as_a_one_phase_meter()
    {
        const string dual = """{"Time":"2024-05-01T12:00:00","ENERGY":{"TotalStartTime":"2024-01-01T00:00:00","Total":[1.2,3.4],"Yesterday":[0.1,0.2],"Today":[0.01,0.02],"Power":[12,34],"ApparentPower":[20,40],"ReactivePower":[16,21],"Factor":[0.6,0.85],"Frequency":50,"Voltage":[230,231],"Current":[0.05,0.15]}}""";
        var shown = Show("tasmota-energy", 2, dual);
        Assert.Equal(34, shown[Location.Total, Quantity.Power]);
        Assert.Equal(34, shown[Location.L1, Quantity.Power]); // the total mirrored: no phase exists
        Assert.Equal(231, shown[Location.Total, Quantity.Voltage]);
        Assert.Equal(0.15, shown[Location.Total, Quantity.Current]);
        Assert.Equal(0.85, shown[Location.Total, Quantity.PowerFactor]);
        Assert.Equal(50, shown[Location.Total, Quantity.Frequency]);
        Assert.Equal(3.4, shown[Location.Total, Quantity.EnergyForward]);

        // Voltage and frequency common to the channels are one number (Tasmota's default); Total then is the sum of all
        // channels (without SetOption129 1), which is not this channel's: no energy.
        shown = Show("tasmota-energy", 1, """{"ENERGY":{"Total":4.6,"Power":[12,34],"Voltage":229,"Frequency":49.9,"Current":[0.05,0.15]}}""");
        Assert.Equal(12, shown[Location.Total, Quantity.Power]);
        Assert.Equal(229, shown[Location.Total, Quantity.Voltage]);
        Assert.Equal(49.9, shown[Location.Total, Quantity.Frequency]);
        Assert.True(double.IsNaN(shown[Location.Total, Quantity.EnergyForward]));
    }

    [Fact]
    public void Tasmota_with_the_default_channel_reads_a_three_phase_PZEMs_arrays_as_phases()
    {
        const string pzem = """{"ENERGY":{"Total":[10.1,20.2,30.3],"Power":[100,200,300],"Voltage":[230,231,232],"Current":[0.5,0.9,1.3],"Frequency":[50,50,50]}}""";
        var (shown, meter) = ShowWithMeter("tasmota-energy", 0, pzem);
        Assert.Equal(3, meter.State.NrOfPhases);
        Assert.Equal(600, shown[Location.Total, Quantity.Power]);
        Assert.Equal(300, shown[Location.L3, Quantity.Power]);
        Assert.Equal(231, shown[Location.L2, Quantity.Voltage]);
        Assert.Equal(60.6, shown[Location.Total, Quantity.EnergyForward], 9);
        // With the dual-channel payload the default still reads two phases: that is what channel is for.
        (_, meter) = ShowWithMeter("tasmota-energy", 0, """{"ENERGY":{"Power":[12,34]}}""");
        Assert.Equal(2, meter.State.NrOfPhases);
    }

    private static Reading Show(string format, int channel, string payload) => ShowWithMeter(format, channel, payload).Shown;

    private static (Reading Shown, Meter Meter) ShowWithMeter(string format, int channel, string payload)
    {
        var problems = new List<SourceProblem>();
        var source = SourceCompiler.Compile(format, "tele/tasmota/SENSOR", channel, [], problems);
        Assert.Empty(problems);
        var meter = new Meter(new MeterLimits(), MappedDecoder.For(source));
        var verdict = meter.Apply("tele/tasmota/SENSOR", Encoding.UTF8.GetBytes(payload));
        Assert.True(verdict.IsAccepted, verdict.Describe(meter.State.Limits));
        var shown = Reading.Empty();
        meter.State.Show(Staleness.Fresh, ref shown);
        return (shown, meter);
    }

    [Fact]
    public void A_Shelly_em0_status_allocates_nothing_in_steady_state()
    {
        var settings = SettingsLoader.Load(new SettingsInput { Flags = new Dictionary<string, string> { ["format"] = "shelly-gen2-em", ["topic"] = "s" } }).Settings;
        var meter = new Meter(settings.Limits, MappedDecoder.For(settings.Source));
        byte[] payload = Encoding.UTF8.GetBytes("""{"id":0,"a_current":10.626,"a_voltage":233.9,"a_act_power":2407.9,"a_aprt_power":2484.2,"a_pf":0.97,"a_freq":49.98,"b_current":1.865,"b_voltage":237.1,"b_act_power":408.8,"b_aprt_power":442.2,"b_pf":-0.93,"b_freq":49.98,"c_current":1.111,"c_voltage":237.2,"c_act_power":222.8,"c_aprt_power":263.3,"c_pf":-0.88,"c_freq":49.98,"n_current":null,"total_current":13.602,"total_act_power":3039.524,"total_aprt_power":3189.632,"user_calibrated_phase":[]}""");
        for (int i = 0; i < 100; i++) Assert.True(meter.Apply("s/status/em:0", payload).IsAccepted);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) meter.Apply("s/status/em:0", payload);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
