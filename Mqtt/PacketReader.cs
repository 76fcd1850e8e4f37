using System.Buffers;
using System.Text;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace MeterBridge.Mqtt;

/// <summary>
/// The QoS 0 reader's packet reader: reads the connection's bytes into one reused buffer, a batch per read, and cuts
/// packets out in place. A QoS 0 PUBLISH is handed on as spans of that buffer (topic strings come from a small
/// cache), where MQTTnet would allocate an array, a packet and two strings per message; every other packet is copied
/// out and decoded by MQTTnet; a PUBLISH too large for the bridge is read past in pieces and dropped.
/// </summary>
public sealed class PacketReader(IMqttChannel channel, MqttPacketFormatterAdapter formatter, long maxPublishLength)
{
    private const int PublishType = 3;

    private byte[] _buffer = new byte[16 * 1024];
    private int _start, _end;
    private readonly string?[] _topics = new string?[16];
    private readonly byte[]?[] _topicBytes = new byte[]?[16];
    private int _nextTopic;

    /// <summary>What <see cref="Next"/> found.</summary>
    public enum Kind { Closed, Publish, Packet, Skipped }

    /// <summary>Whether a whole packet is in the buffer: the next <see cref="Next"/> will not read.</summary>
    public bool HasPacket => Header(out _, out long length) && _end - _start >= length;

    /// <summary>
    /// The next packet, reading (blocking) only when the buffer holds no whole one. For <see cref="Kind.Publish"/>,
    /// topic and payload (valid until the next call); for <see cref="Kind.Packet"/>, MQTTnet's packet; for
    /// <see cref="Kind.Skipped"/>, the size of the dropped PUBLISH.
    /// </summary>
    public Kind Next(out string topic, out ReadOnlySequence<byte> payload, out MqttPacket? packet, out long skipped)
    {
        topic = "";
        payload = default;
        packet = null;
        skipped = 0;
        while (true)
        {
            if (Header(out int headerLength, out long length))
            {
                if (_buffer[_start] >> 4 == PublishType && length - headerLength > maxPublishLength)
                {
                    skipped = length;
                    return Skip(length) ? Kind.Skipped : Kind.Closed;
                }
                if (_end - _start >= length) return Cut(headerLength, (int)length, out topic, out payload, out packet);
                if (length > _buffer.Length) Array.Resize(ref _buffer, (int)length);
            }
            if (!Fill()) return Kind.Closed;
        }
    }

    /// <summary>The fixed header at the buffer's start: its length and the whole packet's; false when incomplete.</summary>
    private bool Header(out int headerLength, out long length)
    {
        headerLength = 0;
        length = 0;
        long remaining = 0;
        for (int i = 1; i <= 4; i++)
        {
            if (_start + i >= _end) return false;
            byte b = _buffer[_start + i];
            remaining |= (long)(b & 0x7F) << (7 * (i - 1));
            if ((b & 0x80) == 0)
            {
                headerLength = i + 1;
                length = headerLength + remaining;
                return true;
            }
        }
        throw new MqttProtocolViolationException("Remaining length is invalid.");
    }

    private Kind Cut(int headerLength, int length, out string topic, out ReadOnlySequence<byte> payload, out MqttPacket? packet)
    {
        byte fixedHeader = _buffer[_start];
        int body = _start + headerLength, end = _start + length;
        _start = end;
        topic = "";
        payload = default;
        packet = null;
        int qos = (fixedHeader >> 1) & 3;
        if (fixedHeader >> 4 == PublishType && qos == 0 && length - headerLength >= 2)
        {
            int topicLength = _buffer[body] << 8 | _buffer[body + 1];
            int at = body + 2 + topicLength;
            if (formatter.ProtocolVersion == MqttProtocolVersion.V500) at = SkipProperties(at, end);
            if (at <= end)
            {
                topic = Topic(_buffer.AsSpan(body + 2, topicLength));
                payload = new ReadOnlySequence<byte>(_buffer, at, end - at);
                return Kind.Publish;
            }
        }
        // Anything else goes to MQTTnet, which reports what is malformed.
        packet = formatter.Decode(new ReceivedMqttPacket(fixedHeader, new ArraySegment<byte>(_buffer[body..end]), length))
            ?? throw new MqttProtocolViolationException("Received malformed packet.");
        return Kind.Packet;
    }

    /// <summary>MQTT 5: the PUBLISH properties (a variable byte length, then that many bytes); past the end when malformed.</summary>
    private int SkipProperties(int at, int end)
    {
        long length = 0;
        for (int i = 0; i < 4; i++)
        {
            if (at >= end) return end + 1;
            byte b = _buffer[at++];
            length |= (long)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) return (int)Math.Min(at + length, end + 1L);
        }
        return end + 1;
    }

    /// <summary>The topic as a string, from a small cache: a meter publishes on a few topics, again and again.</summary>
    private string Topic(ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < _topics.Length; i++)
            if (_topicBytes[i] is { } known && bytes.SequenceEqual(known)) return _topics[i]!;
        int slot = _nextTopic;
        _nextTopic = (_nextTopic + 1) % _topics.Length;
        _topicBytes[slot] = bytes.ToArray();
        return _topics[slot] = Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Reads past a packet of <paramref name="length"/> bytes at the buffer's start; false when the connection closed first.</summary>
    private bool Skip(long length)
    {
        while (true)
        {
            int here = (int)Math.Min(length, _end - _start);
            _start += here;
            length -= here;
            if (length == 0) return true;
            _start = _end = 0;
            if (!Fill()) return false;
        }
    }

    /// <summary>One blocking read into the free end of the buffer (moving what is left to its start first).</summary>
    private bool Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        // Completes on this thread: the stream under the channel blocks in recv instead of awaiting.
        int read = channel.ReadAsync(_buffer, _end, _buffer.Length - _end, CancellationToken.None).GetAwaiter().GetResult();
        _end += read;
        return read > 0;
    }
}
