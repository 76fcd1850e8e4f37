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
internal sealed class PacketReader(IMqttChannel channel, MqttPacketFormatterAdapter formatter, long maxPublishLength)
{
    private const int FirstSize = 16 * 1024;
    private const int ShrinkAbove = 1024 * 1024;

    private byte[] _buffer = new byte[FirstSize];
    private int _start, _end;
    private readonly string?[] _topics = new string?[16];
    private readonly byte[]?[] _topicBytes = new byte[]?[16];
    private int _nextTopic;

    /// <summary>What <see cref="Next"/> found.</summary>
    public enum Kind { Closed, Publish, Packet, Skipped }

    /// <summary>Whether a whole packet is in the buffer: the next <see cref="Next"/> will not read.</summary>
    /// <summary>Every byte read from the connection so far: how fast they come tells the reader how long it may sit out.</summary>
    public long BytesRead { get; private set; }

    public bool HasPacket => Header(out _, out int length) && _end - _start >= length;

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
        if (_start == _end && _buffer.Length > ShrinkAbove) GiveBackBuffer();
        while (true)
        {
            if (Header(out int headerLength, out int length))
            {
                if (MqttWire.Type(_buffer[_start]) == MqttWire.Publish && length - headerLength > maxPublishLength)
                {
                    skipped = length;
                    return Skip(length) ? Kind.Skipped : Kind.Closed;
                }
                if (_end - _start >= length) return Cut(headerLength, length, out topic, out payload, out packet);
                if (length > _buffer.Length) Array.Resize(ref _buffer, length);
            }
            if (!Fill()) return Kind.Closed;
        }
    }

    /// <summary>
    /// The fixed header at the buffer's start: its length and the whole packet's; false when incomplete. A packet other
    /// than a PUBLISH longer than the bridge takes throws (<see cref="MqttWire.CheckLength"/>).
    /// </summary>
    private bool Header(out int headerLength, out int length)
    {
        bool whole = MqttWire.TryReadFixedHeader(_buffer.AsSpan(_start, _end - _start), out headerLength, out int remaining);
        length = headerLength + remaining;
        return whole;
    }

    /// <summary>
    /// After a message that needed a buffer of more than <see cref="ShrinkAbove"/>, the buffer goes back to its first size,
    /// and the GC is asked to return the large one's memory (<see cref="MemoryGiveBack"/>): otherwise the process would hold
    /// the largest message's size for the connection's life. Messages up to 1 MiB keep their buffer: a meter that sends
    /// such messages all the time costs no allocation per message.
    /// </summary>
    private void GiveBackBuffer()
    {
        _buffer = new byte[FirstSize];
        _start = _end = 0;
        MemoryGiveBack.Soon();
    }

    private Kind Cut(int headerLength, int length, out string topic, out ReadOnlySequence<byte> payload, out MqttPacket? packet)
    {
        byte fixedHeader = _buffer[_start];
        int body = _start + headerLength, end = _start + length;
        _start = end;
        topic = "";
        payload = default;
        packet = null;
        if (MqttWire.Type(fixedHeader) == MqttWire.Publish)
        {
            // The subscription is QoS 0, and a broker delivers at most at the subscription's QoS: a QoS 1 or 2 PUBLISH here
            // is the broker's error, and applying it would need an acknowledgement from this thread or a hand-over that
            // lets it overtake newer messages. QoS 3 does not exist.
            int qos = MqttWire.Qos(fixedHeader);
            if (qos != 0)
                throw new BrokerViolationException(qos == 3 ? "the broker sent a PUBLISH with QoS 3, which does not exist"
                    : $"the broker sent a QoS {qos} PUBLISH on a QoS 0 subscription");
            if (end - body < 2) throw new BrokerViolationException("the broker sent a PUBLISH without a topic");
            int topicLength = _buffer[body] << 8 | _buffer[body + 1];
            // No topic alias was allowed in the CONNECT, so an empty topic names nothing (MQTT 3.1.1 forbids it outright).
            if (topicLength == 0) throw new BrokerViolationException("the broker sent a PUBLISH with an empty topic");
            int at = body + 2 + topicLength;
            if (at <= end && formatter.ProtocolVersion == MqttProtocolVersion.V500) at = SkipProperties(at, end);
            if (at > end) throw new BrokerViolationException("the broker sent a PUBLISH shorter than its topic");
            topic = Topic(_buffer.AsSpan(body + 2, topicLength));
            payload = new ReadOnlySequence<byte>(_buffer, at, end - at);
            return Kind.Publish;
        }
        // Anything else goes to MQTTnet, which reports what is malformed.
        packet = formatter.Decode(new ReceivedMqttPacket(fixedHeader, new ArraySegment<byte>(_buffer[body..end]), length))
            ?? throw new MqttProtocolViolationException("Received malformed packet.");
        return Kind.Packet;
    }

    /// <summary>MQTT 5: the PUBLISH properties (a variable byte length, then that many bytes); past the end when malformed.</summary>
    private int SkipProperties(int at, int end)
    {
        if (!MqttWire.TryReadVariableInteger(_buffer.AsSpan(at, end - at), out int length, out int size)) return end + 1;
        return (int)Math.Min((long)at + size + length, end + 1L);
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
        BytesRead += read;
        return read > 0;
    }
}
