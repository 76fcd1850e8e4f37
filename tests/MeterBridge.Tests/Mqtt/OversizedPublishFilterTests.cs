using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MeterBridge.Mqtt;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using Xunit;

namespace MeterBridge.Tests.Mqtt;

/// <summary>The filter under MQTTnet's own packet reader, fed bytes in chunks of every size a socket might deliver.</summary>
public sealed class OversizedPublishFilterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task An_oversized_PUBLISH_is_skipped_whole_and_the_packets_around_it_arrive_intact(int chunk)
    {
        byte[] stream = [.. MqttBytes.Publish("a", "first"), .. MqttBytes.Publish("a", new string('x', 300_000)), .. MqttBytes.PingResp(), .. MqttBytes.Publish("b", "second")];
        var skipped = new List<long>();
        var reader = Reader(stream, chunk, maxRemainingLength: 1000, skipped);

        Assert.Equal("first", await PayloadAsync(reader));
        Assert.IsType<MqttPingRespPacket>(await reader.ReceivePacketAsync(CancellationToken.None));
        Assert.Equal("second", await PayloadAsync(reader));
        Assert.Equal([300_000 + 3 + 4], skipped); // payload, topic with its length, fixed header (type and 3 length bytes)
    }

    [Fact]
    public async Task A_PUBLISH_at_the_limit_passes()
    {
        string payload = new('y', 1000 - 3);
        var skipped = new List<long>();
        var reader = Reader([.. MqttBytes.Publish("a", payload)], 4096, maxRemainingLength: 1000, skipped);
        Assert.Equal(payload, await PayloadAsync(reader));
        Assert.Empty(skipped);
    }

    [Fact]
    public async Task A_connection_that_ends_inside_a_skipped_PUBLISH_reads_as_closed()
    {
        byte[] big = MqttBytes.Publish("a", new string('x', 5000));
        var reader = Reader(big[..2000], 512, maxRemainingLength: 1000, []);
        Assert.Null(await reader.ReceivePacketAsync(CancellationToken.None));
    }

    private static async Task<string> PayloadAsync(MqttChannelAdapter reader)
    {
        var packet = Assert.IsType<MqttPublishPacket>(await reader.ReceivePacketAsync(CancellationToken.None));
        return Encoding.UTF8.GetString(packet.Payload.ToArray());
    }

    private static MqttChannelAdapter Reader(byte[] stream, int chunk, long maxRemainingLength, List<long> skipped) =>
        new(new OversizedPublishFilter(new MqttBytes.Channel(stream, chunk), maxRemainingLength, skipped.Add),
            new MqttPacketFormatterAdapter(MqttProtocolVersion.V311, new MqttBufferWriter(4096, 65536)), MqttNetNullLogger.Instance);
}
