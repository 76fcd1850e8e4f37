using System.Buffers;
using System.Text;
using MeterBridge.Mqtt;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using Xunit;

namespace MeterBridge.Tests.Mqtt;

/// <summary>The QoS 0 reader's packet reader, fed bytes in chunks of every size a socket might deliver.</summary>
public sealed class PacketReaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public void Publishes_are_cut_out_in_place_other_packets_go_to_MQTTnet_and_an_oversized_one_is_skipped(int chunk)
    {
        byte[] stream = [.. MqttBytes.Publish("a/b", "first"), .. MqttBytes.Publish("a/b", new string('x', 300_000)), .. MqttBytes.PingResp(),
            .. MqttBytes.Publish("c", new string('y', 50_000)), .. MqttBytes.Publish("a/b", "last")];
        var reader = Reader(stream, chunk, MqttProtocolVersion.V311, maxPublishLength: 100_000);

        string firstTopic = Publish(reader, "a/b", "first");
        Assert.Equal(PacketReader.Kind.Skipped, reader.Next(out _, out _, out _, out long skipped));
        Assert.Equal(300_000 + 5 + 4, skipped); // payload, topic with its length, fixed header (type and 3 length bytes)
        Assert.Equal(PacketReader.Kind.Packet, reader.Next(out _, out _, out MqttPacket? ping, out _));
        Assert.IsType<MqttPingRespPacket>(ping);
        Publish(reader, "c", new string('y', 50_000)); // larger than the reader's first buffer
        string lastTopic = Publish(reader, "a/b", "last");
        Assert.Same(firstTopic, lastTopic); // a topic seen before is not made again
        Assert.Equal(PacketReader.Kind.Closed, reader.Next(out _, out _, out _, out _));
    }

    [Fact]
    public void An_MQTT_5_publish_has_its_properties_skipped()
    {
        byte[] properties = [0x01, 0x01, 0x03, 0x00, 0x04, (byte)'j', (byte)'s', (byte)'o', (byte)'n']; // format indicator, content type
        var reader = Reader([.. MqttBytes.Publish("t", "{\"grid\":{}}", properties), .. MqttBytes.Publish("t", "2", [])], 4096,
            MqttProtocolVersion.V500, 1000);
        Publish(reader, "t", "{\"grid\":{}}");
        Publish(reader, "t", "2");
    }

    [Fact]
    public void A_connection_that_ends_inside_a_packet_reads_as_closed()
    {
        byte[] publish = MqttBytes.Publish("a", new string('x', 5000));
        Assert.Equal(PacketReader.Kind.Closed, Reader(publish[..2000], 512, MqttProtocolVersion.V311, 1000).Next(out _, out _, out _, out _));
        Assert.Equal(PacketReader.Kind.Closed, Reader(publish[..2000], 512, MqttProtocolVersion.V311, 10_000).Next(out _, out _, out _, out _));
    }

    [Fact]
    public void A_whole_packet_in_the_buffer_is_known_before_reading()
    {
        var reader = Reader([.. MqttBytes.Publish("a", "1"), .. MqttBytes.Publish("a", "2")], 4096, MqttProtocolVersion.V311, 1000);
        Assert.False(reader.HasPacket);
        Publish(reader, "a", "1");
        Assert.True(reader.HasPacket);
        Publish(reader, "a", "2");
        Assert.False(reader.HasPacket);
    }

    [Theory]
    [InlineData(0x90)] // SUBACK
    [InlineData(0x40)] // PUBACK
    [InlineData(0x00)] // reserved type 0
    public void A_packet_other_than_a_PUBLISH_announcing_200_MB_is_a_violation_before_anything_is_allocated(int first)
    {
        byte[] header = [(byte)first, 0x80, 0x80, 0x80, 0x64]; // remaining length 200 * 2^21 = 209 715 200
        var reader = Reader([.. header, .. new byte[4096]], 4096, MqttProtocolVersion.V311, 1000);
        var error = Assert.Throws<BrokerViolationException>(() => reader.Next(out _, out _, out _, out _));
        Assert.Contains("209715200 bytes", error.Message);
    }

    [Theory]
    [InlineData(0x36, "QoS 3")]   // PUBLISH, QoS 3
    [InlineData(0x32, "QoS 1 PUBLISH on a QoS 0 subscription")]
    public void A_PUBLISH_above_QoS_0_is_a_violation(int first, string said)
    {
        byte[] publish = MqttBytes.Publish("a", "1");
        publish[0] = (byte)first;
        var error = Assert.Throws<BrokerViolationException>(() => Reader(publish, 4096, MqttProtocolVersion.V311, 1000).Next(out _, out _, out _, out _));
        Assert.Contains(said, error.Message);
    }

    [Fact]
    public void A_PUBLISH_with_an_empty_topic_is_a_violation()
    {
        var error = Assert.Throws<BrokerViolationException>(() =>
            Reader(MqttBytes.Publish("", "1"), 4096, MqttProtocolVersion.V311, 1000).Next(out _, out _, out _, out _));
        Assert.Contains("empty topic", error.Message);
    }

    private static string Publish(PacketReader reader, string topic, string payload)
    {
        Assert.Equal(PacketReader.Kind.Publish, reader.Next(out string gotTopic, out var gotPayload, out _, out _));
        Assert.Equal(topic, gotTopic);
        Assert.Equal(payload, Encoding.UTF8.GetString(gotPayload.ToArray()));
        return gotTopic;
    }

    private static PacketReader Reader(byte[] stream, int chunk, MqttProtocolVersion version, long maxPublishLength) =>
        new(new MqttBytes.Channel(stream, chunk), new MqttPacketFormatterAdapter(version, new MqttBufferWriter(4096, 65536)), maxPublishLength);
}
