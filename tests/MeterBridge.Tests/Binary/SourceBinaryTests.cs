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
}
