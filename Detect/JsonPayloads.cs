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
        if (JsonMembers.Read(payload, MaxDepth) is not { } members) return true;
        bool Has(string name, JsonTokenType kind) => members.Exists(m => m.Depth == 1 && m.Name == name && m.Kind == kind);
        if (Has("grid", JsonTokenType.StartObject))
            found.Add(new Candidate(Sources.Presets.SeedFormat, topic, 0, "dbus-mqtt-grid JSON"));
        else if (Has("ENERGY", JsonTokenType.StartObject))
            Tasmota(topic, members, found);
        else if (ZigbeeFields.Any(f => Has(f, JsonTokenType.Number))
            && (members.Exists(m => m.Depth == 1 && m.Name == "linkquality") || topic.Split('/')[0].Contains("zigbee2mqtt", StringComparison.OrdinalIgnoreCase)))
            found.Add(new Candidate("zigbee2mqtt", topic, 0, "Zigbee2MQTT device with metering"));
        else if (Fields(members) is { Count: > 0 } mapping)
            found.Add(new Candidate(Sources.Presets.Custom, topic, 0, "JSON numbers whose names say power or energy", mapping));
        return true;
    }

    /// <summary>
    /// Tasmota's ENERGY: arrays are phases of one meter (a PZEM-004T ×3 has a voltage per phase) or the channels of a
    /// device with several relays (a Sonoff Dual R3, a Shelly 2.5 on Tasmota: one voltage, a power per relay). The
    /// second is a one-phase meter per relay, <c>channel</c> N reading element N-1.
    /// </summary>
    private static void Tasmota(string topic, List<JsonMembers.Member> members, List<Candidate> found)
    {
        JsonMembers.Member? Energy(string name) => members.Find(m => m.Depth == 2 && m.Pointer == "/ENERGY/" + name);
        if (Energy("Power") is { Kind: JsonTokenType.StartArray, Length: > 1 and <= 8 } powers && Energy("Voltage") is { Kind: JsonTokenType.Number })
        {
            for (int channel = 1; channel <= powers.Length; channel++)
                found.Add(new Candidate(Sources.Presets.TasmotaEnergy, topic, channel, $"Tasmota energy monitoring, relay {channel} of {powers.Length} (SENSOR with ENERGY)"));
            return;
        }
        found.Add(new Candidate(Sources.Presets.TasmotaEnergy, topic, 0, "Tasmota energy monitoring (SENSOR with ENERGY)"));
    }

    /// <summary>
    /// A rule per quantity key for the numbers whose member names say what they measure; the first found wins. A
    /// voltage, current, frequency or power factor only beside a power or an energy: alone they are no meter.
    /// </summary>
    private static List<(string Key, string Rule)> Fields(List<JsonMembers.Member> members)
    {
        var rules = new List<(string Key, string Rule)>();
        foreach (var member in members)
            if (member.Kind == JsonTokenType.Number && NameWords.Read(member.Name) is { } meaning
                && !rules.Exists(r => r.Key == meaning.Key) && Writable(member.Pointer))
                rules.Add((meaning.Key, "{topic} " + member.Pointer + Factor(meaning.Factor)));
        return rules.Exists(r => NameWords.IsMeterKey(r.Key)) ? Candidate.Ordered(rules) : [];
    }

    /// <summary>A pointer the mapping language can hold as written: no placeholder braces, no trailing " * ".</summary>
    private static bool Writable(string pointer) => !pointer.Contains('{') && !pointer.Contains(" * ") && pointer.Trim() == pointer;

    public static string Factor(double factor) => factor == 1 ? "" : " * " + Config.ValueText.Show(factor);
}
