using System.Text;
using MeterBridge.Config;
using MeterBridge.Core;
using MeterBridge.Sources;
using Xunit;

namespace MeterBridge.Tests.Sources;

/// <summary>The parts of a source: topic filters, the rule language, pointers, and the decoder's precedence and bytes.</summary>
public class SourceUnitTests
{
    [Theory]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/+/c", "a//c", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("#", "$SYS/x", false)]
    [InlineData("+/x", "$SYS/x", false)]
    [InlineData("a/b", "a/bc", false)]
    [InlineData("a/b/c", "a/b", false)]
    public void Topic_filters_match_as_MQTT_says(string filter, string topic, bool matches) =>
        Assert.Equal(matches, TopicMatch.Matches(filter, topic));

    [Theory]
    [InlineData("meters/house /import_wh * 0.001", "meters/house", "/import_wh", 0.001)]
    [InlineData("meters/house * -1", "meters/house", null, -1)]
    [InlineData("tele/sml/SENSOR //Power_curr", "tele/sml/SENSOR", "//Power_curr", 1)]
    [InlineData("{topic}/emeter/{channel}/power", "shellies/x y/emeter/2/power", null, 1)]
    [InlineData("home/a /my key/a*b * 2", "home/a", "/my key/a*b", 2)]
    public void A_rule_line_splits_into_topic_pointer_and_factor(string line, string topic, string? pointer, double factor)
    {
        var rule = RuleText.Parse(line, Location.Total, Quantity.Power, "shellies/x y", 2, out string? problem);
        Assert.True(rule is not null, problem);
        Assert.Equal(topic, rule.Topic);
        Assert.Equal(pointer, rule.Pointer?.Text);
        Assert.Equal(factor, rule.Factor);
    }

    [Theory]
    [InlineData("a/b ENERGY/Power", "does not start with /")]
    [InlineData("a/b /x~2", "~ not followed by 0 or 1")]
    [InlineData("a/b /x * abc", "factor \"abc\" that is not a finite number")]
    [InlineData("a/#/b /x", "'#' must be a whole level and the last one")]
    [InlineData("a/b+ /x", "'+' must be a whole level")]
    [InlineData("{foo}/x", "unknown placeholder {foo}")]
    public void A_bad_rule_line_says_why(string line, string why)
    {
        Assert.Null(RuleText.Parse(line, Location.Total, Quantity.Power, "t", 0, out string? problem));
        Assert.Contains(why, problem);
    }

    private static Reading Decode(string mapping, string topic, string payload, out Verdict verdict)
    {
        var problems = new List<string>();
        var entries = mapping.Split(';').Select(kv => kv.Split('=', 2)).Select(kv => new MappingEntry(kv[0].Trim(), kv[1].Trim(), ValueOrigin.File("c.ini", 1, kv[0].Trim()))).ToList();
        var source = SourceCompiler.Compile("custom", "t", 0, entries, ValueOrigin.Default("format"), ValueOrigin.Default("topic"), problems);
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

    private static SettingsLoad LoadConfig(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mb-unit-{Guid.NewGuid():N}.ini");
        File.WriteAllText(path, text);
        try { return SettingsLoader.Load(new SettingsInput { ConfigPath = path }); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void DEFAULT_keys_are_not_rules_and_the_MAPPING_section_is_no_unknown_section()
    {
        var load = LoadConfig("[DEFAULT]\nvoltage = 232\nformat = custom\n[MAPPING]\npower = t\n");
        Assert.True(load.Ok, string.Join("\n", load.Problems));
        Assert.Empty(load.Warnings);
        var rule = Assert.Single(load.Settings.Source!.Rules);
        Assert.Equal(Quantity.Power, rule.Quantity);
        Assert.Equal(232, load.Settings.Voltage);
    }

    [Fact]
    public void More_rules_than_the_decoders_64_bits_is_a_configuration_error()
    {
        string lines = string.Join("\n", Enumerable.Range(0, 65).Select(i => $"    t/{i}"));
        var load = LoadConfig($"[DEFAULT]\nformat = custom\n[MAPPING]\npower = t\n{lines}\n");
        Assert.Contains(load.Problems, p => p.Contains("gives 66 rules; at most 64"));
    }

    [Fact]
    public void Problems_are_listed_in_file_order_and_name_the_line_of_a_continued_value()
    {
        var load = LoadConfig("[DEFAULT]\nformat = custom\n[MAPPING]\npower = a/b /x * abc\nvoltage = a/b\n    {foo}/c\nenergy = x\n");
        Assert.Equal(3, load.Problems.Count);
        Assert.Contains(":4: power = ", load.Problems[0]);
        Assert.Contains(":5: voltage = \"a/b\\n{foo}/c\" in its line \"{foo}/c\" has an unknown placeholder {foo}", load.Problems[1]);
        Assert.Contains(":7: energy = ", load.Problems[2]);
    }

    [Fact]
    public void A_rejection_names_the_MAPPING_key_not_the_seed_JSON_key()
    {
        var settings = SettingsLoader.Load(new SettingsInput { Flags = new Dictionary<string, string> { ["format"] = "tasmota-energy", ["topic"] = "t" } }).Settings;
        var meter = new Meter(settings.Limits, settings.Source);
        Assert.Equal("power_L2 is not a number",
            meter.Apply("t", """{"ENERGY":{"Power":[1,true,3]}}"""u8).Describe(settings.Limits));
        Assert.Equal("power = 999999 W is outside ±69000 W",
            meter.Apply("t", """{"ENERGY":{"Power":999999}}"""u8).Describe(settings.Limits));
    }

    [Fact]
    public void A_Shelly_em0_status_allocates_nothing_in_steady_state()
    {
        var settings = SettingsLoader.Load(new SettingsInput { Flags = new Dictionary<string, string> { ["format"] = "shelly-gen2-em", ["topic"] = "s" } }).Settings;
        var meter = new Meter(settings.Limits, settings.Source);
        byte[] payload = Encoding.UTF8.GetBytes("""{"id":0,"a_current":10.626,"a_voltage":233.9,"a_act_power":2407.9,"a_aprt_power":2484.2,"a_pf":0.97,"a_freq":49.98,"b_current":1.865,"b_voltage":237.1,"b_act_power":408.8,"b_aprt_power":442.2,"b_pf":-0.93,"b_freq":49.98,"c_current":1.111,"c_voltage":237.2,"c_act_power":222.8,"c_aprt_power":263.3,"c_pf":-0.88,"c_freq":49.98,"n_current":null,"total_current":13.602,"total_act_power":3039.524,"total_aprt_power":3189.632,"user_calibrated_phase":[]}""");
        for (int i = 0; i < 100; i++) Assert.True(meter.Apply("s/status/em:0", payload).IsAccepted);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) meter.Apply("s/status/em:0", payload);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
