using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;
using Xunit;
using static MeterBridge.Tests.Infrastructure.TestSettingsService;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// A settings service that is broken, not slow, and a bus that goes away while the meter waits for its settings: a
/// grid meter ESS depends on must still come up, and a meter that cannot reach D-Bus must exit so daemontools restarts it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SettingsFaultTests
{
    [Theory]
    [InlineData(AddSettingsFault.PythonError, "TypeError: unhashable type: 'dict'")]
    [InlineData(AddSettingsFault.UnknownMethod, "doesn't exist")]
    [InlineData(AddSettingsFault.WrongType, "com.victronenergy.settings failed AddSettings")]
    public void A_meter_whose_AddSettings_keeps_failing_registers_from_its_config_with_one_line_per_error(AddSettingsFault fault, string said)
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address) { Fault = fault };
        var started = Stopwatch.StartNew();
        var bridge = rig.StartBridge();
        rig.Publish("""{"grid":{"power":250.0}}""");

        Assert.True(rig.WaitOnBus(true, TimeSpan.FromSeconds(35)), "not registered within 35 s:\n" + bridge.Log);
        Assert.True(started.Elapsed > TimeSpan.FromSeconds(15), $"registered after {started.Elapsed.TotalSeconds:0.0} s: it did not wait for the retries");
        rig.AssertValue("/Ac/Power", "(<250.0>,)");
        string[] errors = [.. bridge.Lines.Where(line => line.Contains("failed AddSettings"))];
        Assert.Equal(3, errors.Length);
        Assert.All(errors, line => Assert.Contains(said, line));
        Assert.DoesNotContain(bridge.Lines, line => line.Contains("Traceback") || line.Contains("File \"")); // one line, not seven
    }

    [Fact]
    public void A_meter_that_loses_the_bus_while_waiting_for_its_settings_exits_non_zero_within_15_s()
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address) { AddSettingsDelay = TimeSpan.FromMinutes(5) };
        var bridge = rig.StartBridge();
        rig.Publish("""{"grid":{"power":250.0}}""");
        Assert.True(bridge.WaitForLine("has not answered AddSettings for 10 s", TimeSpan.FromSeconds(15)), bridge.Log);
        Assert.False(rig.OnBus(), "registered without its settings");

        var lost = Stopwatch.StartNew();
        rig.Bus.Kill();
        Assert.True(bridge.WaitForExit(TimeSpan.FromSeconds(15)), "still running 15 s after the bus went:\n" + bridge.Log);
        Assert.NotEqual(0, bridge.ExitCode);
        Assert.Contains(bridge.Lines, line => line.Contains("lost the D-Bus connection"));
        Assert.True(lost.Elapsed < TimeSpan.FromSeconds(15));
    }
}
