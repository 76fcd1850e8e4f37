using System.Text;
using MeterBridge.Config;
using MeterBridge.Items;
using MeterBridge.Core;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Core;

/// <summary>Every case of tests/vectors/payloads.json through the pure core: meter, derive, path table.</summary>
public class PayloadVectorTests
{
    [Fact]
    public void The_vector_file_has_cases() => Assert.True(PayloadVectors.All.Count >= 20, "payloads.json should hold the spec's cases");

    [Theory]
    [MemberData(nameof(PayloadVectors.Names), MemberType = typeof(PayloadVectors))]
    public void Case(string name)
    {
        var vector = PayloadVectors.Named(name);
        var settings = new Settings
        {
            Voltage = vector.Config.GetValueOrDefault("voltage", 230),
            Frequency = vector.Config.GetValueOrDefault("frequency", 50),
            PowerThresholdPerPhase = vector.Config.GetValueOrDefault("power_threshold_per_phase", 23000),
        };
        Assert.True(vector.Config.Keys.All(k => k is "voltage" or "frequency" or "power_threshold_per_phase"), "unknown config key in the vector");

        var meter = new Meter(settings.Limits);
        var table = new ItemTable();
        var items = new MeterItems();
        var failures = new List<string>();
        for (int i = 0; i < vector.Steps.Count; i++)
        {
            var step = vector.Steps[i];
            var verdict = meter.Apply("", Encoding.UTF8.GetBytes(step.Payload));
            if (step.Accepted is { } accepted && accepted != verdict.IsAccepted)
                failures.Add($"step {i + 1} ({step.Payload}): accepted should be {accepted}, was {verdict.IsAccepted} ({verdict.Describe(settings.Limits)})");
            if (meter.HasData) items.Update(table, meter.State, Staleness.Fresh);

            failures.AddRange(PayloadVectors.Mismatches(step.Expect, table).Select(e => $"step {i + 1} ({step.Payload}): {e}"));
        }
        Assert.True(failures.Count == 0, $"case '{name}':\n" + string.Join("\n", failures));
    }
}
