namespace MeterBridge.Mqtt;

/// <summary>
/// MQTT reason codes in words, for log lines: a CONNACK's refusal, a SUBACK's failure, an MQTT 5 DISCONNECT from the
/// broker. The codes are the MQTT 5 standard's (section 2.4; MQTTnet maps MQTT 3.1.1's CONNACK codes onto them), one
/// meaning per number whichever packet carries it; MQTTnet's enum names never reach the log.
/// </summary>
internal static class ReasonWords
{
    public static string Of(int code) => code switch
    {
        0x00 => "normal disconnection",
        0x04 => "disconnect with will message",
        0x80 => "unspecified error",
        0x81 => "malformed packet",
        0x82 => "protocol error",
        0x83 => "implementation specific error",
        0x84 => "unsupported protocol version",
        0x85 => "client identifier not valid",
        0x86 => "bad user name or password",
        0x87 => "not authorized",
        0x88 => "server unavailable",
        0x89 => "server busy",
        0x8A => "banned",
        0x8B => "server shutting down",
        0x8C => "bad authentication method",
        0x8D => "keep-alive timeout",
        0x8E => "session taken over: another client connected with the same client id",
        0x8F => "topic filter invalid",
        0x90 => "topic name invalid",
        0x91 => "packet identifier in use",
        0x93 => "receive maximum exceeded",
        0x94 => "topic alias invalid",
        0x95 => "packet too large",
        0x96 => "message rate too high",
        0x97 => "quota exceeded",
        0x98 => "administrative action",
        0x99 => "payload format invalid",
        0x9A => "retain not supported",
        0x9B => "QoS not supported",
        0x9C => "use another server",
        0x9D => "server moved",
        0x9E => "shared subscriptions not supported",
        0x9F => "connection rate exceeded",
        0xA0 => "maximum connect time",
        0xA1 => "subscription identifiers not supported",
        0xA2 => "wildcard subscriptions not supported",
        _ => $"reason code 0x{code:X2}",
    };
}
