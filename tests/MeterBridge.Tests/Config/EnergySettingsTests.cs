using MeterBridge.Config;
using MeterBridge.Core;
using Xunit;

namespace MeterBridge.Tests.Config;

/// <summary>energy_from_power and energy_file: their values, and where the counters file lands.</summary>
public sealed class EnergySettingsTests : IDisposable
{
    private readonly ConfigTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private SettingsLoad Load(string ini, Dictionary<string, string>? flags = null) =>
        SettingsLoader.Load(new SettingsInput { ConfigPath = _files.Write("app.ini", ini), Flags = flags ?? [] });

    [Theory]
    [InlineData("auto", "Auto")]
    [InlineData("AUTO", "Auto")]
    [InlineData("1", "On")]
    [InlineData("yes", "On")]
    [InlineData("0", "Off")]
    public void Energy_from_power_reads_auto_and_yes_no(string text, string expected)
    {
        var load = Load($"[MQTT]\nenergy_from_power = {text}\n");
        Assert.True(load.Ok, string.Join("\n", load.Problems));
        Assert.Equal(expected, load.Settings.EnergyFromPower.ToString()); // the type is internal: a theory takes its name
    }

    [Fact]
    public void A_bad_energy_from_power_is_a_problem_naming_file_line_and_value()
    {
        var load = Load("[MQTT]\n\nenergy_from_power = sometimes\n");
        var problem = Assert.Single(load.Problems);
        Assert.Contains("app.ini", problem);
        Assert.Contains("app.ini:3", problem);
        Assert.Contains("sometimes", problem);
        Assert.Contains("is not auto, 0 or 1", problem);
    }

    [Fact]
    public void The_counters_file_is_beside_the_config()
    {
        var load = Load("[MQTT]\n");
        Assert.Equal(Path.Combine(_files.Folder, "energy.json"), load.Settings.EnergyFile);
        Assert.Equal(Path.Combine(_files.Folder, "energy.json"), ConfigKeys.Find("energy_file")!.Show(load.Settings));
    }

    [Fact]
    public void A_relative_energy_file_is_relative_to_the_config_and_empty_keeps_nothing()
    {
        Assert.Equal(Path.Combine(_files.Folder, "kept", "e.json"), Load("[MQTT]\nenergy_file = kept/e.json\n").Settings.EnergyFile);
        Assert.Equal("", Load("[MQTT]\nenergy_file =\n").Settings.EnergyFile);
        Assert.Equal("/tmp/x.json", Load("[MQTT]\n", new() { ["energy_file"] = "/tmp/x.json" }).Settings.EnergyFile);
    }

    [Fact]
    public void Without_a_config_file_there_is_no_counters_file()
    {
        var load = SettingsLoader.Load(new SettingsInput());
        Assert.Null(load.Settings.EnergyFile);
    }
}
