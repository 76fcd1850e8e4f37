using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet.Channel;

namespace MeterBridge.Tests.Mqtt;

/// <summary>MQTT packets as a broker sends them, and a connection that delivers bytes in chunks of a chosen size.</summary>
public static class MqttBytes
{
    /// <summary>A QoS 0 PUBLISH: fixed header, topic, (MQTT 5: properties,) payload.</summary>
    public static byte[] Publish(string topic, string payload, byte[]? properties = null)
    {
        byte[] body = [(byte)(topic.Length >> 8), (byte)topic.Length, .. Encoding.UTF8.GetBytes(topic),
            .. properties is null ? [] : Length(properties.Length), .. properties ?? [], .. Encoding.UTF8.GetBytes(payload)];
        return [0x30, .. Length(body.Length), .. body];
    }

    public static byte[] PingResp() => [0xD0, 0x00];

    /// <summary>An MQTT variable byte integer.</summary>
    private static byte[] Length(int length)
    {
        var bytes = new List<byte>();
        for (; ; length >>= 7)
        {
            bytes.Add((byte)((length & 0x7F) | (length > 0x7F ? 0x80 : 0)));
            if (length <= 0x7F) return [.. bytes];
        }
    }

    /// <summary>A connection that delivers the given bytes, at most <paramref name="chunk"/> per read, then reads as closed.</summary>
    public sealed class Channel(byte[] bytes, int chunk) : IMqttChannel
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
