using System.Text.Json;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Binary;

/// <summary>Every payload vector through the shipped AOT binary's <c>meterbridge decode</c>, as a user would run it.</summary>
public class DecodeBinaryTests
{
    [Theory]
    [MemberData(nameof(PayloadVectors.Names), MemberType = typeof(PayloadVectors))]
    public void Case(string name)
    {
        var vector = PayloadVectors.Named(name);
        string input = string.Join("\n", vector.Steps.Select(s => s.Payload)) + "\n";
        var (exitCode, stdout, stderr) = AotBinary.Run(["decode", .. vector.Flags()], input);
        Assert.True(exitCode == 0, $"decode exited {exitCode}: {stderr}");

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(vector.Steps.Count, lines.Length);
        var failures = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var step = vector.Steps[i];
            using var result = JsonDocument.Parse(lines[i]);
            bool accepted = result.RootElement.GetProperty("accepted").GetBoolean();
            var reason = result.RootElement.GetProperty("reason");
            Assert.Equal(accepted, reason.ValueKind == JsonValueKind.Null);
            if (step.Accepted is { } want && want != accepted)
                failures.Add($"step {i + 1}: accepted should be {want}, was {accepted} ({reason})");

            failures.AddRange(PayloadVectors.Mismatches(step.Expect, result.RootElement.GetProperty("paths")).Select(e => $"step {i + 1} ({step.Payload}): {e}"));
        }
        Assert.True(failures.Count == 0, $"case '{name}' through the binary:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void A_rejected_line_names_its_reason()
    {
        var (exitCode, stdout, _) = AotBinary.Run(["decode"], "{\"grid\":{\"power\":999999}}\n");
        Assert.Equal(0, exitCode);
        using var result = JsonDocument.Parse(stdout);
        Assert.False(result.RootElement.GetProperty("accepted").GetBoolean());
        Assert.Contains("grid.power", result.RootElement.GetProperty("reason").GetString());
        Assert.Empty(result.RootElement.GetProperty("paths").EnumerateObject());
    }
}
