using System.Text.Json;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Binary;

/// <summary>Every case of sources.json through the AOT binary's <c>decode</c> (TOPIC&lt;TAB&gt;PAYLOAD lines), and every
/// <c>config_errors</c> entry through its <c>check</c>: exit 2, one line naming the file, the line, the key and the value.</summary>
public class SourceBinaryTests
{
    [Theory]
    [MemberData(nameof(SourceVectors.Names), MemberType = typeof(SourceVectors))]
    public void Case(string name)
    {
        var vector = SourceVectors.Named(name);
        string config = vector.WriteConfig();
        var (exitCode, stdout, stderr) = AotBinary.Run(["decode", "--config", config], string.Join("\n", vector.Steps.Select(s => s.Line)) + "\n");
        File.Delete(config);
        Assert.True(exitCode == 0, $"decode exited {exitCode}: {stderr}");

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(vector.Steps.Count, lines.Length);
        var failures = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var step = vector.Steps[i];
            using var result = JsonDocument.Parse(lines[i]);
            bool accepted = result.RootElement.GetProperty("accepted").GetBoolean();
            string? reason = result.RootElement.GetProperty("reason").GetString();
            if (step.Accepted != accepted)
                failures.Add($"step {i + 1}: accepted should be {step.Accepted}, was {accepted} ({reason})");
            else if (!accepted && step.Ignored != (reason == "no mapped value"))
                failures.Add($"step {i + 1}: ignored should be {step.Ignored}, reason was {reason}");

            failures.AddRange(PayloadVectors.Mismatches(step.Expect, result.RootElement.GetProperty("paths")).Select(e => $"step {i + 1} ({step.Line}): {e}"));
        }
        Assert.True(failures.Count == 0, $"case '{name}' through the binary:\n" + string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(SourceVectors.ErrorNames), MemberType = typeof(SourceVectors))]
    public void Config_error(string name)
    {
        var vector = SourceVectors.ErrorNamed(name);
        string config = vector.Config.WriteConfig();
        var (exitCode, stdout, stderr) = AotBinary.Run(["check", "--config", config]);
        File.Delete(config);
        Assert.True(exitCode == 2, $"{name}: check exited {exitCode}\n{stdout}{stderr}");

        // The key and value at fault: the [MAPPING] rule when there is one, else format.
        (string key, string value) = vector.Config.Mapping.Count > 0 ? (vector.Config.Mapping.First().Key, vector.Config.Mapping.First().Value) : ("format", vector.Config.Config["format"]);
        int line = vector.Config.ConfigFile().Split('\n').ToList().FindIndex(l => l.StartsWith(key + " = ")) + 1;
        var problem = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{config}:{line}: {key} = \"{value}\"", problem);
    }

    [Fact]
    public void Check_prints_a_presets_rules_its_subscriptions_and_the_Shelly_timeout()
    {
        var (exitCode, stdout, stderr) = AotBinary.Run(["check", "--format", "shelly-gen2-em", "--topic", "shellypro3em-1"]);
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("power = shellypro3em-1/status/em:0 /total_act_power", stdout);
        Assert.Contains("shellypro3em-1/events/rpc /params/em:0/total_act_power", stdout);
        Assert.Contains("energy_forward_L3 = shellypro3em-1/status/emdata:0 /c_total_act_energy * 0.001", stdout);
        Assert.Contains("# subscribes to: shellypro3em-1/status/em:0, shellypro3em-1/events/rpc, shellypro3em-1/status/emdata:0", stdout);
        Assert.Matches(@"(?m)^timeout = 120 +# default of format shelly-gen2-em$", stdout);
    }

    [Fact]
    public void Check_refuses_a_zero_or_absurd_factor_and_a_dangling_asterisk_naming_each_line()
    {
        string config = Path.Combine(Path.GetTempPath(), $"mb-factor-{Guid.NewGuid():N}.ini");
        File.WriteAllText(config, "[MQTT]\nformat = custom\n[MAPPING]\npower = t /p * 0\ncurrent = t /c * 1E+308\nvoltage = t /r *\nenergy_forward = t /e * 0.001\n");
        var (exitCode, stdout, stderr) = AotBinary.Run(["check", "--config", config]);
        File.Delete(config);
        Assert.True(exitCode == 2, $"check exited {exitCode}\n{stdout}{stderr}");
        Assert.Equal([
            $"{config}:4: power = \"t /p * 0\" has a factor \"0\" that is zero: every value would show as 0",
            $"{config}:5: current = \"t /c * 1E+308\" has a factor \"1E+308\" whose size is outside 1e-7…1e7: a factor changes a unit (0.001 for Wh → kWh, -1 to turn the sign)",
            $"{config}:6: voltage = \"t /r *\" ends in * with no factor after it (TOPIC [POINTER] [* FACTOR])",
        ], stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Decode_reads_one_channel_of_a_dual_channel_Tasmota_and_the_phases_of_a_PZEM()
    {
        const string dual = "{\"ENERGY\":{\"Total\":[1.2,3.4],\"Power\":[12,34],\"Voltage\":[230,230],\"Current\":[0.05,0.15]}}";
        var (exitCode, stdout, stderr) = AotBinary.Run(["decode", "--format", "tasmota-energy", "--topic", "tele/t/SENSOR", "--channel", "2"], dual + "\n");
        Assert.True(exitCode == 0, stderr);
        using (var result = JsonDocument.Parse(stdout))
        {
            var paths = result.RootElement.GetProperty("paths");
            Assert.Equal(34, paths.GetProperty("/Ac/Power").GetDouble());
            Assert.Equal(34, paths.GetProperty("/Ac/L1/Power").GetDouble());
            Assert.Equal(3.4, paths.GetProperty("/Ac/Energy/Forward").GetDouble());
            Assert.Equal(0.15, paths.GetProperty("/Ac/Current").GetDouble());
            Assert.Equal(1, paths.GetProperty("/NrOfPhases").GetDouble());
            Assert.False(paths.TryGetProperty("/Ac/L2/Power", out _));
        }

        const string pzem = "{\"ENERGY\":{\"Total\":[1,2,3],\"Power\":[100,200,300],\"Voltage\":[230,231,232],\"Current\":[0.5,0.9,1.3]}}";
        (exitCode, stdout, stderr) = AotBinary.Run(["decode", "--format", "tasmota-energy", "--topic", "tele/t/SENSOR"], pzem + "\n");
        Assert.True(exitCode == 0, stderr);
        using (var result = JsonDocument.Parse(stdout))
        {
            var paths = result.RootElement.GetProperty("paths");
            Assert.Equal(600, paths.GetProperty("/Ac/Power").GetDouble());
            Assert.Equal(300, paths.GetProperty("/Ac/L3/Power").GetDouble());
            Assert.Equal(3, paths.GetProperty("/NrOfPhases").GetDouble());
        }
    }
}
