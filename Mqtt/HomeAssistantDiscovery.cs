using System.Buffers;
using System.Text;
using System.Text.Json;

namespace MeterBridge.Mqtt;

/// <summary>
/// Home Assistant MQTT discovery (ha_discovery = 1): one HA device per bridge with two entities, a connectivity
/// binary_sensor on <c>…/status</c> and a sensor whose value is the state (<c>waiting</c>, <c>fresh</c>, <c>stale</c>)
/// with the rest of the state JSON as attributes. Configs go retained to <c>homeassistant/&lt;component&gt;/&lt;node&gt;/&lt;object&gt;/config</c>.
/// </summary>
internal static class HomeAssistantDiscovery
{
    public const string Prefix = "homeassistant";

    /// <summary>
    /// The node id, the HA device's identifier and the stem of the unique ids: <c>meterbridge_&lt;host&gt;_&lt;device_instance&gt;</c>,
    /// with every character HA does not allow in a node id (all but letters, digits, _ and -) as _.
    /// </summary>
    /// <param name="host">The GX's portal id, else the host name: what the MQTT client id has too.</param>
    public static string NodeId(string host, int deviceInstance)
    {
        var id = new StringBuilder("meterbridge_");
        foreach (char c in host) id.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        return id.Append('_').Append(deviceInstance).ToString();
    }

    /// <summary>The discovery messages for a bridge whose status is under <paramref name="root"/> (status_topic).</summary>
    public static IReadOnlyList<(string Topic, byte[] Payload)> Configs(string root, string nodeId, int deviceInstance, string version) =>
    [
        ($"{Prefix}/binary_sensor/{nodeId}/status/config", Config(nodeId, deviceInstance, version, json =>
        {
            json.WriteString("name", "Connection");
            json.WriteString("unique_id", nodeId + "_status");
            json.WriteString("state_topic", StatusJson.StatusTopic(root));
            json.WriteString("payload_on", StatusJson.Online);
            json.WriteString("payload_off", StatusJson.Offline);
            json.WriteString("device_class", "connectivity");
            json.WriteString("entity_category", "diagnostic");
        })),
        ($"{Prefix}/sensor/{nodeId}/state/config", Config(nodeId, deviceInstance, version, json =>
        {
            json.WriteString("name", "Meter data");
            json.WriteString("unique_id", nodeId + "_state");
            json.WriteString("state_topic", StatusJson.StateTopic(root));
            json.WriteString("value_template", "{{ value_json.state }}");
            json.WriteString("json_attributes_topic", StatusJson.StateTopic(root));
            json.WriteString("availability_topic", StatusJson.StatusTopic(root));
            json.WriteString("payload_available", StatusJson.Online);
            json.WriteString("payload_not_available", StatusJson.Offline);
            json.WriteString("device_class", "enum");
            json.WriteStartArray("options");
            foreach (var health in (MeterHealth[])[MeterHealth.Waiting, MeterHealth.Fresh, MeterHealth.Stale])
                json.WriteStringValue(StatusJson.Name(health));
            json.WriteEndArray();
            json.WriteString("icon", "mdi:meter-electric");
        })),
    ];

    /// <summary>An entity's config: its own members, then the one device both belong to.</summary>
    private static byte[] Config(string nodeId, int deviceInstance, string version, Action<Utf8JsonWriter> entity)
    {
        var buffer = new ArrayBufferWriter<byte>(768);
        using (var json = new Utf8JsonWriter(buffer, StatusJson.Writing))
        {
            json.WriteStartObject();
            entity(json);
            json.WriteStartObject("device");
            json.WriteStartArray("identifiers");
            json.WriteStringValue(nodeId);
            json.WriteEndArray();
            json.WriteString("name", $"MeterBridge {deviceInstance}");
            json.WriteString("manufacturer", "MeterBridge");
            json.WriteString("model", "MQTT meter on a Victron GX");
            json.WriteString("sw_version", version);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
