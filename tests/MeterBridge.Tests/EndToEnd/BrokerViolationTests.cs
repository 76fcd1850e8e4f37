using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// A broker that breaks the MQTT standard: the bridge says in one line what the broker did, shows nothing of what the
/// packet carried, drops the connection and makes a new one; memory stays bounded whatever length a packet announces.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BrokerViolationTests
{
    private const int Huge = 200 * 1024 * 1024;
    private static readonly string Bad = """{"grid":{"power":666.5}}""";
    private static readonly string Good = """{"grid":{"power":14}}""";

    [Theory]
    [InlineData("SUBACK", 0)]
    [InlineData("SUBACK", 1)]
    [InlineData("PUBACK", 0)]
    [InlineData("PUBACK", 1)]
    [InlineData("reserved type 0", 0)]
    [InlineData("reserved type 0", 1)]
    public void A_200_MB_packet_other_than_a_PUBLISH_is_refused_unread_and_the_bridge_reconnects(string packet, int qos)
    {
        using var broker = new ScriptedBroker((_, session) =>
        {
            if (packet == "SUBACK")
            {
                session.ConnAck();
                session.Expect(8);
                session.Write(ScriptedBroker.Header(0x90, Huge));
            }
            else
            {
                session.Accept();
                session.Write(ScriptedBroker.Header(packet == "PUBACK" ? (byte)0x40 : (byte)0x00, Huge));
            }
            session.Write(new byte[1024 * 1024]); // the start of its body: a reader that waits for all of it waits long
            session.Serve(TimeSpan.FromSeconds(10));
        });
        using var rig = new Rig();
        var bridge = rig.StartBridge(waitConnected: false, brokerPort: broker.Port, extra: ["--qos", qos.ToString()]);

        string what = $"protocol violation: the broker sent a {packet} of {Huge} bytes";
        Assert.True(bridge.WaitForLine(what, Rig.Deadline), "no line about the packet:\n" + bridge.Log);
        Assert.True(bridge.WaitForLine(_ => broker.Connections >= 3, Rig.Deadline * 2), "not reconnected:\n" + bridge.Log);
        Assert.True(bridge.IsRunning, bridge.Log);
        // One line per violation: a broker that breaks the standard on every connection gets one per connection.
        int lines = bridge.Lines.Count(line => line.Contains(what));
        Assert.True(lines >= 1 && lines <= broker.Connections, bridge.Log);
        Assert.DoesNotContain(bridge.Lines, line => line.Contains("OutOfMemory"));
        Assert.Empty(LogWords.EnumLike(bridge.Lines));
        var (rss, peak) = ProcStatus.Memory(bridge.Id);
        Console.WriteLine($"a {packet} announcing {Huge} bytes, QoS {qos}: VmRSS {rss} KiB, VmHWM {peak} KiB");
        Assert.True(peak < 16 * 1024, $"VmHWM {peak} KiB");
    }

    [Theory]
    [InlineData("QoS 3", 0, "the broker sent a PUBLISH with QoS 3")]
    [InlineData("QoS 3", 1, "the broker sent a PUBLISH with QoS 3")]
    [InlineData("empty topic", 0, "the broker sent a PUBLISH with an empty topic")]
    [InlineData("empty topic", 1, "the broker sent a PUBLISH with an empty topic")]
    [InlineData("before CONNACK", 0, "the broker sent a PUBLISH before its CONNACK")]
    [InlineData("before CONNACK", 1, "the broker sent a PUBLISH before its CONNACK")]
    [InlineData("QoS 1 on a QoS 0 subscription", 0, "the broker sent a QoS 1 PUBLISH on a QoS 0 subscription")]
    [InlineData("QoS 2 on a QoS 0 subscription", 0, "the broker sent a QoS 2 PUBLISH on a QoS 0 subscription")]
    public void A_PUBLISH_that_breaks_the_standard_is_not_shown_and_the_connection_is_made_again(string violation, int qos, string line)
    {
        using var broker = new ScriptedBroker((connection, session) =>
        {
            if (connection == 1)
            {
                if (violation == "before CONNACK")
                {
                    session.Expect(1);
                    session.Write(ScriptedBroker.Publish(Rig.Topic, Bad));
                    session.Write([0x20, 0x02, 0x00, 0x00]);
                    session.SubAck();
                }
                else
                {
                    session.Accept();
                    session.Write(violation switch
                    {
                        "QoS 3" => ScriptedBroker.Publish(Rig.Topic, Bad, qos: 3),
                        "empty topic" => ScriptedBroker.Publish("", Bad),
                        "QoS 1 on a QoS 0 subscription" => ScriptedBroker.Publish(Rig.Topic, Bad, qos: 1),
                        _ => ScriptedBroker.Publish(Rig.Topic, Bad, qos: 2),
                    });
                }
            }
            else
            {
                session.Accept();
                session.Write(ScriptedBroker.Publish(Rig.Topic, Good));
            }
            session.Serve(TimeSpan.FromSeconds(20));
        });
        using var rig = new Rig();
        using var bus = new BusRecorder(rig.Bus.Address);
        var bridge = rig.StartBridge(waitConnected: false, brokerPort: broker.Port, extra: ["--qos", qos.ToString()]);

        rig.WaitForValue("/Ac/Power", "(<14.0>,)", timeout: Rig.Deadline * 2, bridge: bridge);
        Assert.Equal(1, bridge.Lines.Count(l => l.Contains("protocol violation: " + line)));
        Assert.DoesNotContain("666.5", bridge.Log);
        Assert.DoesNotContain("double 666.5", bus.Text); // as dbus-monitor prints a value (its timestamps hold any digits)
        Assert.Equal(2, broker.Connections);
        Assert.Empty(LogWords.EnumLike(bridge.Lines));
    }

    /// <summary>
    /// A QoS 1 PUBLISH on a QoS 0 subscription used to be handed to MQTTnet and applied later on another thread, after newer
    /// messages: 2 000 pairs of QoS 1 and QoS 0 messages and a last QoS 0 message of 14 W ended on 2 999 W.
    /// </summary>
    [Fact]
    public void A_QoS_1_PUBLISH_on_a_QoS_0_subscription_never_overtakes_a_newer_message()
    {
        using var broker = new ScriptedBroker((connection, session) =>
        {
            session.Accept();
            if (connection == 1)
            {
                var stream = new List<byte>();
                for (int i = 1; i <= 2000; i++)
                {
                    stream.AddRange(ScriptedBroker.Publish(Rig.Topic, "{\"grid\":{\"power\":" + (999 + i) + "}}", qos: 1));
                    stream.AddRange(ScriptedBroker.Publish(Rig.Topic, "{\"grid\":{\"power\":" + i + "}}", qos: 0));
                }
                session.Write([.. stream]);
            }
            session.Write(ScriptedBroker.Publish(Rig.Topic, Good));
            session.Serve(TimeSpan.FromSeconds(20));
        });
        using var rig = new Rig();
        using var bus = new BusRecorder(rig.Bus.Address);
        var bridge = rig.StartBridge(waitConnected: false, brokerPort: broker.Port);

        rig.WaitForValue("/Ac/Power", "(<14.0>,)", timeout: Rig.Deadline * 2, bridge: bridge);
        Thread.Sleep(1000); // a message applied late would show within this
        rig.AssertValue("/Ac/Power", "(<14.0>,)");
        Assert.DoesNotContain("double 2999", bus.Text);
        Assert.Contains(bridge.Lines, l => l.Contains("protocol violation: the broker sent a QoS 1 PUBLISH on a QoS 0 subscription"));
        Assert.Empty(LogWords.EnumLike(bridge.Lines));
    }
}
