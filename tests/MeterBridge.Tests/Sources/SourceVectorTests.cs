using System.Text;
using MeterBridge.Config;
using MeterBridge.Items;
using MeterBridge.Core;
using MeterBridge.Sources;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Sources;

/// <summary>Every case of tests/vectors/sources.json through the core: its config.ini loaded and compiled, then meter, derive, path table.</summary>
public class SourceVectorTests
{
    [Fact]
    public void The_vector_file_has_cases() => Assert.True(SourceVectors.All.Count >= 16 && SourceVectors.Errors.Count >= 6);

    [Theory]
    [MemberData(nameof(SourceVectors.Names), MemberType = typeof(SourceVectors))]
    public void Case(string name)
    {
        var vector = SourceVectors.Named(name);
        string path = vector.WriteConfig();
        SettingsLoad load;
        try { load = SettingsLoader.Load(new SettingsInput { ConfigPath = path }); }
        finally { File.Delete(path); }
        Assert.True(load.Ok, string.Join("\n", load.Problems));
        Assert.NotNull(load.Settings.Source);

        var meter = new Meter(load.Settings.Limits, MappedDecoder.For(load.Settings.Source));
        var table = new ItemTable();
        var items = new MeterItems();
        var failures = new List<string>();
        for (int i = 0; i < vector.Steps.Count; i++)
        {
            var step = vector.Steps[i];
            var verdict = meter.Apply(step.Topic, Encoding.UTF8.GetBytes(step.Payload));
            string said = verdict.Describe(load.Settings.Limits);
            if (step.Accepted != verdict.IsAccepted)
                failures.Add($"step {i + 1} ({step.Line}): accepted should be {step.Accepted}, was {verdict.IsAccepted} ({said})");
            else if (!step.Accepted && step.Ignored != (verdict.Reason == RejectReason.NoMappedValue))
                failures.Add($"step {i + 1} ({step.Line}): ignored should be {step.Ignored}, reason was {said}");
            if (meter.HasData) items.Update(table, meter.State, Staleness.Fresh);

            failures.AddRange(PayloadVectors.Mismatches(step.Expect, table).Select(e => $"step {i + 1} ({step.Line}): {e}"));
        }
        Assert.True(failures.Count == 0, $"case '{name}':\n" + string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(SourceVectors.ErrorNames), MemberType = typeof(SourceVectors))]
    public void Config_error(string name)
    {
        var vector = SourceVectors.ErrorNamed(name);
        string path = vector.Config.WriteConfig();
        SettingsLoad load;
        try { load = SettingsLoader.Load(new SettingsInput { ConfigPath = path }); }
        finally { File.Delete(path); }
        Assert.False(load.Ok, $"{name} ({vector.Why}) was accepted");
        Assert.Single(load.Problems);
    }
}
