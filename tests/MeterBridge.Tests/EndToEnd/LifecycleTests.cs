using System.Diagnostics;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>How the process ends: SIGTERM, a lost D-Bus, a name already taken.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LifecycleTests
{
    private const string Payload = """{"grid":{"power":777.0}}""";

    [Fact]
    public void SIGTERM_releases_the_name_and_exits_0_within_a_second()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<777.0>,)", bridge: bridge);

        var clock = Stopwatch.StartNew();
        bridge.Terminate();
        Assert.True(bridge.WaitForExit(TimeSpan.FromSeconds(1)), "still running 1 s after SIGTERM:\n" + bridge.Log);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal(0, bridge.ExitCode);
        Assert.False(rig.OnBus(), "the name is still on the bus");
    }

    [Fact]
    public void The_dbus_daemon_killed_while_registered_ends_the_process_with_one_error_line()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<777.0>,)", bridge: bridge);

        rig.Bus.Kill();
        Assert.True(bridge.WaitForExit(TimeSpan.FromSeconds(5)), "still running after the bus died:\n" + bridge.Log);
        Assert.NotEqual(0, bridge.ExitCode);
        var errors = bridge.Lines.Where(line => line.StartsWith("ERROR")).ToList();
        Assert.True(errors.Count == 1, "expected one ERROR line:\n" + bridge.Log);
        Assert.Contains("D-Bus", errors[0]);
    }

    [Fact]
    public void A_second_meter_with_the_same_device_instance_exits_3()
    {
        using var rig = new Rig();
        var first = rig.StartBridge();
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<777.0>,)", bridge: first);

        var second = rig.StartBridge(waitConnected: false);
        Assert.True(second.WaitForExit(TimeSpan.FromSeconds(5)), "the second meter keeps running:\n" + second.Log);
        Assert.Equal(3, second.ExitCode);
        Assert.Contains(second.Lines, line => line.StartsWith("ERROR") && line.Contains("already taken"));
        Assert.True(first.IsRunning);
        rig.AssertValue("/Ac/Power", "(<777.0>,)");
    }
}
