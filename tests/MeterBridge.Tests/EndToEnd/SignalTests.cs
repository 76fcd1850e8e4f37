using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// The signals beyond SIGTERM (<see cref="LifecycleTests"/>): SIGHUP (daemontools' <c>svc -h</c>, the reload) and
/// SIGQUIT stop cleanly; SIGUSR1 and SIGUSR2 are logged and ignored.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SignalTests
{
    private const string Payload = """{"grid":{"power":777.0}}""";

    [Theory]
    [InlineData("HUP")]
    [InlineData("QUIT")]
    public void A_stop_signal_releases_the_name_leaves_the_broker_with_a_DISCONNECT_and_exits_0(string signal)
    {
        using var rig = new Rig(new Mosquitto(config: ["log_type all"]));
        var bridge = rig.StartBridge();
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<777.0>,)", bridge: bridge);

        Send(bridge, signal);
        Assert.True(bridge.WaitForExit(Rig.Deadline), $"still running after SIG{signal}:\n" + bridge.Log);
        Assert.Equal(0, bridge.ExitCode);
        Assert.Contains(bridge.Lines, line => line == $"INFO SIG{signal}: stopping" || line.StartsWith($"INFO SIG{signal}: stopping;"));
        Assert.Contains(bridge.Lines, line => line.Contains("stopped (exit code 0)"));
        Assert.False(rig.OnBus(), "the name is still on the bus");
        // Mosquitto (log_type all) logs "Received DISCONNECT from <client>" for a polite goodbye, and
        // "Client <client> closed its connection." when the socket just goes away.
        Assert.True(WaitForBrokerLine(rig.Broker, line => line.Contains("Received DISCONNECT from MeterBridge_")),
            "the broker saw no DISCONNECT:\n" + string.Join("\n", rig.Broker.Log));
        Assert.DoesNotContain(rig.Broker.Log, line => line.Contains("Client MeterBridge_") && line.Contains("closed its connection"));
    }

    [Theory]
    [InlineData("USR1")]
    [InlineData("USR2")]
    public void A_user_signal_is_logged_and_ignored(string signal)
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();
        rig.Publish(Payload);
        rig.WaitForValue("/Ac/Power", "(<777.0>,)", bridge: bridge);

        Send(bridge, signal);
        Assert.True(bridge.WaitForLine($"SIG{signal} ignored", Rig.Deadline), $"no line for SIG{signal}:\n" + bridge.Log);
        rig.Publish("""{"grid":{"power":888.0}}""");
        rig.WaitForValue("/Ac/Power", "(<888.0>,)", bridge: bridge);
        Assert.True(bridge.IsRunning);

        bridge.Terminate();
        Assert.True(bridge.WaitForExit(Rig.Deadline), "still running after SIGTERM:\n" + bridge.Log);
        Assert.Equal(0, bridge.ExitCode);
    }

    private static void Send(BridgeProcess bridge, string signal)
    {
        var kill = Tool.Run("kill", "-" + signal, bridge.Id.ToString());
        Assert.True(kill.ExitCode == 0, $"kill -{signal} failed: {kill}");
    }

    private static bool WaitForBrokerLine(Mosquitto broker, Func<string, bool> predicate)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Rig.Deadline)
        {
            if (broker.Log.Any(predicate)) return true;
            Thread.Sleep(20);
        }
        return broker.Log.Any(predicate);
    }
}
