namespace MeterBridge.Mqtt;

/// <summary>
/// The MQTT wire primitives both readers need (our QoS 0 <see cref="PacketReader"/> and the <see cref="OversizedPublishFilter"/>
/// under MQTTnet): packet types, the fixed header, the variable byte integer, and how long a packet may be.
/// </summary>
internal static class MqttWire
{
    public const int Connect = 1, ConnAck = 2, Publish = 3, PubAck = 4, PubRec = 5, PubRel = 6, PubComp = 7,
        Subscribe = 8, SubAck = 9, Unsubscribe = 10, UnsubAck = 11, PingReq = 12, PingResp = 13, Disconnect = 14, Auth = 15;

    /// <summary>
    /// The longest remaining length of any packet but a PUBLISH a broker may send us. The largest such packet is an MQTT 5
    /// CONNACK, SUBACK, PUBACK or DISCONNECT with a reason string, which is at most one MQTT string (2 + 65 535 bytes),
    /// plus a few fixed fields and user properties; Mosquitto's are under 100 bytes. 64 KiB + 4 KiB holds a maximal
    /// reason string and costs nothing to hold, while a 200 MB SUBACK would be allocated whole by MQTTnet.
    /// </summary>
    public const int MaxControlPacketLength = 64 * 1024 + 4096;

    /// <summary>The packet type in a fixed header's first byte.</summary>
    public static int Type(byte first) => first >> 4;

    /// <summary>A PUBLISH's QoS (0 to 3; 3 is malformed).</summary>
    public static int Qos(byte first) => (first >> 1) & 3;

    /// <summary>The packet's name as the MQTT standard writes it, for log lines.</summary>
    public static string Name(int type) => type switch
    {
        Connect => "CONNECT", ConnAck => "CONNACK", Publish => "PUBLISH", PubAck => "PUBACK", PubRec => "PUBREC", PubRel => "PUBREL",
        PubComp => "PUBCOMP", Subscribe => "SUBSCRIBE", SubAck => "SUBACK", Unsubscribe => "UNSUBSCRIBE", UnsubAck => "UNSUBACK",
        PingReq => "PINGREQ", PingResp => "PINGRESP", Disconnect => "DISCONNECT", Auth => "AUTH", _ => "reserved type 0",
    };

    /// <summary>
    /// A variable byte integer at the start of <paramref name="bytes"/>: its value and how many bytes it took (1 to 4).
    /// Returns false when <paramref name="bytes"/> ends first; throws when it does not end within four bytes.
    /// </summary>
    public static bool TryReadVariableInteger(ReadOnlySpan<byte> bytes, out int value, out int size)
    {
        value = 0;
        for (size = 1; size <= 4; size++)
        {
            if (size > bytes.Length) return false;
            byte b = bytes[size - 1];
            value |= (b & 0x7F) << (7 * (size - 1));
            if ((b & 0x80) == 0) return true;
        }
        throw new BrokerViolationException("the broker sent a packet length that does not end within four bytes");
    }

    /// <summary>
    /// The fixed header at the start of <paramref name="bytes"/>: its length (2 to 5) and the remaining length after it.
    /// False when incomplete; a packet longer than the bridge takes (<see cref="CheckLength"/>) throws.
    /// </summary>
    public static bool TryReadFixedHeader(ReadOnlySpan<byte> bytes, out int headerLength, out int remainingLength)
    {
        headerLength = 0;
        remainingLength = 0;
        if (bytes.Length < 2 || !TryReadVariableInteger(bytes[1..], out remainingLength, out int size)) return false;
        headerLength = 1 + size;
        CheckLength(bytes[0], remainingLength);
        return true;
    }

    /// <summary>
    /// Whether the bridge reads a packet of this type and length at all: a PUBLISH of any length (one beyond
    /// max_payload_size is skipped by the readers, not stored), any other packet up to <see cref="MaxControlPacketLength"/>;
    /// a longer one is the broker's violation and ends the connection.
    /// </summary>
    public static void CheckLength(byte first, int remainingLength)
    {
        if (Type(first) != Publish && remainingLength > MaxControlPacketLength)
            throw new BrokerViolationException($"the broker sent a {Name(Type(first))} of {remainingLength} bytes, more than the {MaxControlPacketLength} any packet but a PUBLISH may have");
    }
}
