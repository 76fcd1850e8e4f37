using MeterBridge.Sources;
using Xunit;

namespace MeterBridge.Tests.Sources;

/// <summary>Compiling format, topic, channel and [MAPPING] into a source: what replaces what, and problems as data
/// (what they are about, the value, the phrase) for the caller to word.</summary>
public class SourceCompilerTests
{
    private static MappedSource? Compile(string format, string topic, out List<SourceProblem> problems, params MappingEntry[] mapping)
    {
        problems = [];
        return SourceCompiler.Compile(format, topic, 0, mapping, problems);
    }

    [Fact]
    public void A_MAPPING_key_replaces_the_presets_rules_for_that_key_and_shows_where_it_was_written()
    {
        var source = Compile("tasmota-energy", "t", out var problems, new MappingEntry("power", "x /y", "c.ini:9", 9));
        Assert.Empty(problems);
        var power = Assert.Single(source!.Shown, s => s.Key == "power");
        Assert.Equal(["x /y"], power.Rules);
        Assert.Equal("c.ini:9", power.Origin);
        Assert.Equal("preset tasmota-energy", Assert.Single(source.Shown, s => s.Key == "voltage").Origin);
    }

    [Fact]
    public void A_problem_with_an_entry_names_the_entry_its_value_and_the_phrase()
    {
        var entry = new MappingEntry("energy", "x", "c.ini:4", 4);
        Compile("custom", "t", out var problems, entry);
        var problem = Assert.Single(problems);
        Assert.Same(entry, problem.Entry);
        Assert.Equal("x", problem.Value);
        Assert.StartsWith("is not a rule for a known quantity: energy is not one of power, voltage, current, frequency, power_factor, energy_forward, energy_reverse", problem.Phrase);
    }

    [Fact]
    public void A_topic_that_breaks_a_presets_rule_is_a_problem_of_the_topic()
    {
        Compile("shelly-gen1-em", "a/#", out var problems);
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Equal((SourceCompiler.TopicKey, "a/#", null), (p.Key, p.Value, p.Entry)));
        Assert.StartsWith("does not fit the preset's rule power = \"{topic}/emeter/{channel}/power\": it has a topic \"a/#/emeter/0/power\" that", problems[0].Phrase);
    }

    [Fact]
    public void A_custom_format_without_rules_is_a_problem_of_the_format()
    {
        Compile("custom", "t", out var problems);
        var problem = Assert.Single(problems);
        Assert.Equal((SourceCompiler.FormatKey, "custom", null), (problem.Key, problem.Value, problem.Entry));
    }

    [Fact]
    public void Entry_problems_are_listed_in_file_order_after_the_topics()
    {
        Compile("custom", "t", out var problems,
            new MappingEntry("voltage", "{x}", "c.ini:7", 7), new MappingEntry("power", "a/#/b", "c.ini:3", 3));
        Assert.Equal([3, 7], problems.Select(p => p.Entry!.Line));
    }

    [Fact]
    public void The_seed_format_reads_no_mapping()
    {
        Assert.Null(Compile("dbus-mqtt-grid", "t", out var problems, new MappingEntry("power", "t", "c.ini:2", 2)));
        Assert.Contains("reads no mapping: set format = custom or a preset", Assert.Single(problems).Phrase);
    }
}
