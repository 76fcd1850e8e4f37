using System.Text.Json;

namespace MeterBridge.Detect;

/// <summary>
/// Meters in JSON objects, by their shape: the dbus-mqtt-grid JSON (a <c>grid</c> object), Tasmota's <c>ENERGY</c>, a
/// Zigbee2MQTT device's state (<c>power</c>, <c>energy</c> or <c>power_a</c> beside <c>linkquality</c>, or under a
/// zigbee2mqtt base topic), and otherwise any number whose member name says power or energy, as a <c>custom</c> mapping
/// with JSON pointers (a Tasmota SML reader's <c>/SML/Power_curr</c>, a home-made meter's <c>/import_wh</c>).
/// </summary>
internal static class JsonPayloads
{
    /// <summary>Members deeper than this are not searched: meters put their readings near the top.</summary>
    private const int MaxDepth = 4;
    private static readonly string[] ZigbeeFields = ["power", "energy", "power_a"];

    /// <summary>True when the payload is a JSON object (then it is no bare number); meters found are added.</summary>
    public static bool Recognise(string topic, byte[] payload, List<Candidate> found)
    {
        int first = Array.FindIndex(payload, b => b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'));
        if (first < 0 || payload[first] != (byte)'{') return false;
        JsonDocument document;
        try { document = JsonDocument.Parse(payload); }
        catch (JsonException) { return true; }
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return true;
            if (root.TryGetProperty("grid", out JsonElement grid) && grid.ValueKind == JsonValueKind.Object)
                found.Add(new Candidate(Sources.Presets.SeedFormat, topic, 0, "dbus-mqtt-grid JSON"));
            else if (root.TryGetProperty("ENERGY", out JsonElement energy) && energy.ValueKind == JsonValueKind.Object)
                found.Add(new Candidate("tasmota-energy", topic, 0, "Tasmota energy monitoring (SENSOR with ENERGY)"));
            else if (IsZigbee2Mqtt(topic, root))
                found.Add(new Candidate("zigbee2mqtt", topic, 0, "Zigbee2MQTT device with metering"));
            else if (Fields(root) is { Count: > 0 } mapping)
                found.Add(new Candidate(Sources.Presets.Custom, topic, 0, "JSON numbers whose names say power or energy", mapping));
        }
        return true;
    }

    private static bool IsZigbee2Mqtt(string topic, JsonElement root) =>
        ZigbeeFields.Any(f => root.TryGetProperty(f, out JsonElement v) && v.ValueKind == JsonValueKind.Number)
        && (root.TryGetProperty("linkquality", out _) || topic.Split('/')[0].Contains("zigbee2mqtt", StringComparison.OrdinalIgnoreCase));

    /// <summary>A rule per quantity key for the numbers whose member names say power or energy; the first found wins.</summary>
    private static List<(string Key, string Rule)> Fields(JsonElement root)
    {
        var rules = new List<(string, string)>();
        Walk(root, "", 1, rules);
        return Candidate.Ordered(rules);
    }

    private static void Walk(JsonElement element, string pointer, int depth, List<(string Key, string Rule)> rules)
    {
        foreach (JsonProperty member in element.EnumerateObject())
        {
            string path = pointer + "/" + member.Name.Replace("~", "~0").Replace("/", "~1");
            if (member.Value.ValueKind == JsonValueKind.Object && depth < MaxDepth)
                Walk(member.Value, path, depth + 1, rules);
            else if (member.Value.ValueKind == JsonValueKind.Number && NameWords.Read(member.Name) is { } meaning
                && !rules.Any(r => r.Key == meaning.Key) && Writable(path))
                rules.Add((meaning.Key, "{topic} " + path + Factor(meaning.Factor)));
        }
    }

    /// <summary>A pointer the mapping language can hold as written: no placeholder braces, no trailing " * ".</summary>
    private static bool Writable(string pointer) => !pointer.Contains('{') && !pointer.Contains(" * ") && pointer.Trim() == pointer;

    public static string Factor(double factor) => factor == 1 ? "" : " * " + Config.ValueText.Show(factor);
}
