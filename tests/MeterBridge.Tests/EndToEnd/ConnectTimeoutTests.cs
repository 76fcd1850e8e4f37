using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// A broker that accepts TCP and never answers (hung, or its answers lost in a NAT): the wait for CONNACK is bounded,
/// said in the log, and retried; SIGTERM in the middle of it is a clean stop, not a broker problem.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConnectTimeoutTests
{
    [Fact]
    public void A_broker_that_never_answers_is_given_up_and_values_flow_once_a_real_broker_takes_the_port()
    {
        var silent = new SilentListener();
        int port = silent.Port;
        using var rig = new Rig(); // its broker stays unused: the bridge is pointed at the silent port
        try
        {
            // keepalive 2: a broker silent for 1.5 keep-alives (3 s) is given up, before CONNACK as after it.
            var bridge = rig.StartBridge(waitConnected: false, brokerPort: port, extra: ["--keepalive", "2"]);
            Assert.True(bridge.WaitForLine("no answer within 3 s; retrying", TimeSpan.FromSeconds(10)), "no line about the silent broker:\n" + bridge.Log);
            Assert.True(silent.Connections >= 1);
            Assert.True(bridge.WaitForLine(_ => silent.Connections >= 2, TimeSpan.FromSeconds(10)), "no second try:\n" + bridge.Log);

            silent.Dispose();
            using var broker = new Mosquitto(port: port);
            Assert.True(bridge.WaitForLine("subscribed to", TimeSpan.FromSeconds(15)), "not subscribed to the real broker:\n" + bridge.Log);
            broker.Publish(Rig.Topic, """{"grid":{"power":33.0}}""");
            rig.WaitForValue("/Ac/Power", "(<33.0>,)", bridge: bridge);
            Assert.Equal(1, bridge.Lines.Count(line => line.Contains("no answer within")));
        }
        finally { silent.Dispose(); }
    }

    [Fact]
    public void SIGTERM_while_waiting_for_CONNACK_exits_0_within_a_second_without_a_warning()
    {
        using var silent = new SilentListener();
        using var rig = new Rig();
        var bridge = rig.StartBridge(waitConnected: false, brokerPort: silent.Port);
        Assert.True(bridge.WaitForLine(_ => silent.Connections >= 1, Rig.Deadline), "never connected:\n" + bridge.Log);
        Thread.Sleep(300); // CONNECT sent, waiting for the answer

        var clock = Stopwatch.StartNew();
        bridge.Terminate();
        Assert.True(bridge.WaitForExit(TimeSpan.FromSeconds(5)), "still running:\n" + bridge.Log);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"exit took {clock.Elapsed.TotalSeconds:0.00} s:\n" + bridge.Log);
        Assert.Equal(0, bridge.ExitCode);
        Assert.DoesNotContain(bridge.Lines, line => line.StartsWith("WARNING") || line.StartsWith("ERROR"));
    }
}
