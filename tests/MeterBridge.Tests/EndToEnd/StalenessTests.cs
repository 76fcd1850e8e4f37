using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>Every timeout_action with <c>--timeout 1</c>: what a GX sees when the meter goes silent.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class StalenessTests
{
    private const string Payload = """{"grid":{"power":650.0,"voltage":231.0,"L1":{"power":650.0,"voltage":231.0,"current":2.8}}}""";
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(4);

    [Fact]
    public void A_timeout_of_a_year_leaves_the_process_asleep()
    {
        // The wait to a deadline ~3e16 ns away overflowed into 0 ms: WaitAny(0) in a loop, a whole core.
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--timeout", "31536000"]);
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<650.0>,)", bridge: bridge);

        long before = ProcStatus.CpuTicks(bridge.Id);
        Thread.Sleep(3000);
        long used = ProcStatus.CpuTicks(bridge.Id) - before;
        Assert.True(used <= 10, $"{used * 10} ms of CPU in 3 s of silence (a spinning loop uses about 3000)");
    }

    [Fact]
    public void Remove_takes_the_meter_off_the_bus_and_the_next_message_brings_it_back()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--timeout", "1", "--timeout-action", "remove"]);
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<650.0>,)", bridge: bridge);

        Assert.True(rig.WaitOnBus(false, Silence), "still on the bus:\n" + bridge.Log);
        rig.Publish("""{"grid":{"power":651.0}}""");
        rig.WaitForValue("/Ac/Power", "(<651.0>,)", bridge: bridge);
        Assert.True(bridge.IsRunning);
    }

    [Fact]
    public void Zero_shows_zero_power_and_keeps_the_voltage()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--timeout", "1", "--timeout-action", "zero"]);
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<650.0>,)", bridge: bridge);

        rig.WaitForValue("/Ac/Power", "(<0.0>,)", Silence, bridge);
        rig.AssertValue("/Ac/L1/Power", "(<0.0>,)");
        rig.AssertValue("/Ac/L1/Voltage", "(<231.0>,)");
        Assert.True(rig.OnBus());

        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<650.0>,)", bridge: bridge);
    }

    [Fact]
    public void Invalidate_shows_disconnected_and_invalid_power()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--timeout", "1", "--timeout-action", "invalidate"]);
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<650.0>,)", bridge: bridge);

        rig.WaitForValue("/Connected", "(<0>,)", Silence, bridge);
        rig.AssertValue("/Ac/Power", "(<@ai []>,)");
        rig.AssertValue("/Ac/L1/Power", "(<@ai []>,)");

        rig.Publish(Payload);
        rig.WaitForValue("/Connected", "(<1>,)", bridge: bridge);
        rig.AssertValue("/Ac/Power", "(<650.0>,)");
    }

    [Fact]
    public void Exit_ends_the_process_with_a_non_zero_code()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--timeout", "1", "--timeout-action", "exit"]);
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<650.0>,)", bridge: bridge);

        Assert.True(bridge.WaitForExit(Silence), "still running:\n" + bridge.Log);
        Assert.NotEqual(0, bridge.ExitCode);
        Assert.Contains(bridge.Lines, line => line.StartsWith("ERROR") && line.Contains("timeout_action = exit"));
        Assert.True(rig.WaitOnBus(false));
    }
}
