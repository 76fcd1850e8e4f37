using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// Every way a connection ends is logged in words a user can act on: no enum name ("(NormalDisconnection)",
/// "(UnspecifiedError)", "(BadUserNameOrPassword)") and no .NET resource key ever reaches a log line.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DisconnectWordsTests
{
    [Theory]
    [InlineData("killed", "3.1.1", 0, "(the broker closed the connection)")]
    [InlineData("killed", "3.1.1", 1, "(the broker closed the connection)")]
    [InlineData("killed", "5", 0, "(the broker closed the connection)")]
    [InlineData("stopped", "3.1.1", 0, "(the broker closed the connection)")]
    [InlineData("stopped", "5", 0, "(the broker closed the connection)")] // Mosquitto 2 sends no DISCONNECT when it stops
    [InlineData("stopped", "5", 1, "(the broker closed the connection)")]
    public void Mosquitto_going_away(string how, string version, int qos, string expected)
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--mqtt-version", version, "--qos", qos.ToString()]);
        if (how == "killed") rig.Broker.Stop(); // SIGKILL
        else rig.Broker.Terminate();
        Assert.True(bridge.WaitForLine("lost the broker", Rig.Deadline), "no line about the lost broker:\n" + bridge.Log);
        AssertInWords(bridge, expected);
    }

    [Theory]
    [InlineData("reset", 0, "(the connection was reset (the broker or the network dropped it))")]
    [InlineData("reset", 1, "lost the broker")] // MQTTnet's own reader reports a reset as a plain close
    [InlineData("closed", 0, "(the broker closed the connection)")]
    [InlineData("closed", 1, "(the broker closed the connection)")]
    public void A_broker_that_drops_the_connection(string how, int qos, string expected)
    {
        using var broker = new ScriptedBroker((_, session) =>
        {
            session.Accept();
            Thread.Sleep(300);
            if (how == "reset") session.Reset();
        });
        using var rig = new Rig();
        // No status: this script reads nothing after SUBSCRIBE, and a socket closed with our "online" unread goes with a
        // reset, not the close this test is about.
        var bridge = rig.StartBridge(brokerPort: broker.Port, extra: ["--qos", qos.ToString(), "--status-topic", ""]);
        Assert.True(bridge.WaitForLine("lost the broker", Rig.Deadline), "no line about the lost broker:\n" + bridge.Log);
        AssertInWords(bridge, expected);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void An_MQTT_5_DISCONNECT_from_the_broker_says_its_reason(int qos)
    {
        using var broker = new ScriptedBroker((_, session) =>
        {
            session.Expect(1);
            session.Write([0x20, 0x03, 0x00, 0x00, 0x00]); // CONNACK: no session, success, no properties
            byte[] subscribe = session.Expect(8);
            session.Write([0x90, 0x04, subscribe[0], subscribe[1], 0x00, (byte)qos]); // SUBACK: id, no properties, granted
            Thread.Sleep(300);
            session.Write([0xE0, 0x02, 0x8E, 0x00]); // DISCONNECT: session taken over, no properties
            session.Serve(TimeSpan.FromSeconds(5));
        });
        using var rig = new Rig();
        var bridge = rig.StartBridge(brokerPort: broker.Port, extra: ["--mqtt-version", "5", "--qos", qos.ToString()]);
        Assert.True(bridge.WaitForLine("lost the broker", Rig.Deadline), "no line about the lost broker:\n" + bridge.Log);
        AssertInWords(bridge, "(the broker ended the connection: session taken over: another client connected with the same client id)");
    }

    [Fact]
    public void A_refused_subscription()
    {
        using var broker = new RefusingBroker();
        using var rig = new Rig();
        var bridge = rig.StartBridge(waitConnected: false, brokerPort: broker.Port);
        Assert.True(bridge.WaitForLine("refused the subscription", Rig.Deadline), bridge.Log);
        AssertInWords(bridge, "refused the subscription to e2e/meter (unspecified error)");
    }

    [Theory]
    [InlineData("3.1.1")]
    [InlineData("5")]
    public void A_refused_CONNACK(string version)
    {
        string passwords = Path.Combine(Directory.CreateTempSubdirectory("mb-passwd-").FullName, "passwd");
        Assert.Equal(0, Tool.Run("mosquitto_passwd", "-b", "-c", passwords, "meter", "s3cret").ExitCode);
        using var rig = new Rig(new Mosquitto(passwords));
        var bridge = rig.StartBridge(waitConnected: false, extra: ["--mqtt-version", version, "--username", "meter", "--password", "wrong"]);
        Assert.True(bridge.WaitForLine("refused the credentials", Rig.Deadline), bridge.Log);
        Assert.Contains(bridge.Lines, line => line.Contains("(bad user name or password)") || line.Contains("(not authorized)"));
        AssertInWords(bridge, "refused the credentials");
    }

    private static void AssertInWords(BridgeProcess bridge, string expected)
    {
        Console.WriteLine(string.Join('\n', bridge.Lines.Where(line => line.Contains("WARNING"))));
        Assert.Contains(bridge.Lines, line => line.Contains(expected));
        Assert.Empty(LogWords.EnumLike(bridge.Lines));
        Assert.True(bridge.IsRunning, bridge.Log);
    }
}
