using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MeterBridge.Mqtt;

/// <summary>
/// The texts of the bridge's status on the broker: <c>&lt;status_topic&gt;/status</c> (online/offline) and
/// <c>&lt;status_topic&gt;/state</c>, a JSON object
/// <c>{"state":"fresh","service":"com.victronenergy.grid.mqtt_grid_100","role":"grid","device_instance":100,"last_rejected":null}</c>.
/// </summary>
internal static class StatusJson
{
    public const string Online = "online";
    public const string Offline = "offline";

    /// <summary>Unescaped non-ASCII ("±69000 W" stays readable in mosquitto_sub); the payload is never put in HTML.</summary>
    public static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string StatusTopic(string root) => root + "/status";

    public static string StateTopic(string root) => root + "/state";

    public static string Name(MeterHealth health) => health switch
    {
        MeterHealth.Fresh => "fresh",
        MeterHealth.Stale => "stale",
        _ => "waiting",
    };

    /// <summary>The state payload.</summary>
    /// <param name="lastRejected">The reason of the last rejected message, or null (none since the start).</param>
    public static byte[] State(BridgeStatus status, string? lastRejected)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Writing))
        {
            json.WriteStartObject();
            json.WriteString("state", Name(status.State));
            json.WriteString("service", status.Service);
            json.WriteString("role", status.Role);
            json.WriteNumber("device_instance", status.DeviceInstance);
            if (lastRejected is null) json.WriteNull("last_rejected");
            else json.WriteString("last_rejected", lastRejected);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
