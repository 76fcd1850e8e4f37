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
        byte[] stream = [.. Publish("a", "first"), .. Publish("a", new string('x', 300_000)), .. PingResp(), .. Publish("b", "second")];
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
        var reader = Reader([.. Publish("a", payload)], 4096, maxRemainingLength: 1000, skipped);
        Assert.Equal(payload, await PayloadAsync(reader));
        Assert.Empty(skipped);
    }

    [Fact]
    public async Task A_connection_that_ends_inside_a_skipped_PUBLISH_reads_as_closed()
    {
        byte[] big = Publish("a", new string('x', 5000));
        var reader = Reader(big[..2000], 512, maxRemainingLength: 1000, []);
        Assert.Null(await reader.ReceivePacketAsync(CancellationToken.None));
    }

    private static async Task<string> PayloadAsync(MqttChannelAdapter reader)
    {
        var packet = Assert.IsType<MqttPublishPacket>(await reader.ReceivePacketAsync(CancellationToken.None));
        return Encoding.UTF8.GetString(packet.Payload.ToArray());
    }

    private static MqttChannelAdapter Reader(byte[] stream, int chunk, long maxRemainingLength, List<long> skipped) =>
        new(new OversizedPublishFilter(new BytesChannel(stream, chunk), maxRemainingLength, skipped.Add),
            new MqttPacketFormatterAdapter(MqttProtocolVersion.V311, new MqttBufferWriter(4096, 65536)), MqttNetNullLogger.Instance);

    /// <summary>A QoS 0 PUBLISH as a broker sends it: fixed header, topic, payload.</summary>
    private static byte[] Publish(string topic, string payload)
    {
        byte[] body = [(byte)(topic.Length >> 8), (byte)topic.Length, .. Encoding.UTF8.GetBytes(topic), .. Encoding.UTF8.GetBytes(payload)];
        var packet = new List<byte> { 0x30 };
        for (int length = body.Length; ; length >>= 7)
        {
            packet.Add((byte)((length & 0x7F) | (length > 0x7F ? 0x80 : 0)));
            if (length <= 0x7F) break;
        }
        return [.. packet, .. body];
    }

    private static byte[] PingResp() => [0xD0, 0x00];

    /// <summary>A connection that delivers the given bytes, at most <paramref name="chunk"/> per read, then reads as closed.</summary>
    private sealed class BytesChannel(byte[] bytes, int chunk) : IMqttChannel
    {
        private int _position;

        public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            int n = Math.Min(Math.Min(count, chunk), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return Task.FromResult(n);
        }

        public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task DisconnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public X509Certificate2 ClientCertificate => null!;
        public EndPoint RemoteEndPoint => new IPEndPoint(IPAddress.Loopback, 1883);
        public EndPoint LocalEndPoint => new IPEndPoint(IPAddress.Loopback, 50000);
        public bool IsSecureConnection => false;
        public void Dispose() { }
    }
}
