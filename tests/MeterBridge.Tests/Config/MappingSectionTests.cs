using MeterBridge.Config;
using MeterBridge.Core;
using Xunit;

namespace MeterBridge.Tests.Config;

/// <summary>The [MAPPING] section as the loader reads it: which keys are rules, and the compiler's problems worded with
/// where each value was written.</summary>
public class MappingSectionTests
{
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
        Assert.Contains(load.Problems, p => p.EndsWith(": format = \"custom\" with [MAPPING] gives 66 rules; at most 64 are supported"));
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
    public void A_zero_or_absurd_factor_and_a_dangling_asterisk_name_their_line()
    {
        var load = LoadConfig("[DEFAULT]\nformat = custom\n[MAPPING]\npower = t /p * -0\ncurrent = t /c * 1E+308\nvoltage = t /r *\n");
        Assert.Equal(3, load.Problems.Count);
        Assert.EndsWith(":4: power = \"t /p * -0\" has a factor \"-0\" that is zero: every value would show as 0", load.Problems[0]);
        Assert.Contains(":5: current = \"t /c * 1E+308\" has a factor \"1E+308\" whose size is outside 1e-7…1e7", load.Problems[1]);
        Assert.EndsWith(":6: voltage = \"t /r *\" ends in * with no factor after it (TOPIC [POINTER] [* FACTOR])", load.Problems[2]);
    }

    [Fact]
    public void A_problem_of_the_topic_or_format_names_where_that_was_set()
    {
        var load = SettingsLoader.Load(new SettingsInput { Flags = new Dictionary<string, string> { ["format"] = "shelly-gen1-em", ["topic"] = "a/#" } });
        Assert.All(load.Problems, p => Assert.StartsWith("--topic \"a/#\" does not fit the preset's rule ", p));
        load = SettingsLoader.Load(new SettingsInput { Flags = new Dictionary<string, string> { ["format"] = "custom" } });
        Assert.Equal(["--format \"custom\" has no rules: write [MAPPING] rules such as power = TOPIC /POINTER, or use a preset"], load.Problems);
    }

    [Fact]
    public void An_unset_timeout_of_a_Shelly_preset_is_120_seconds()
    {
        var load = SettingsLoader.Load(new SettingsInput { Flags = new Dictionary<string, string> { ["format"] = "shelly-gen1-em", ["topic"] = "s" } });
        Assert.Equal(MappingSection.ShellyTimeout, load.Settings.Timeout);
        Assert.Equal("default of format shelly-gen1-em", load.Origins["timeout"].Source);
    }
}
