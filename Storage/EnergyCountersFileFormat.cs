using System.Buffers;
using System.Text.Json;
using MeterBridge.Core;

namespace MeterBridge.Storage;

/// <summary>
/// The counters file's text, pure: <c>{"version":1,"device_instance":100,"total":{"forward":12.5,"reverse":0.25},"L1":{…}}</c>,
/// kWh, only the locations that have counters. The device_instance (the configured one, the meter's unique id) tells
/// whose counters they are, should two meters be pointed at one file. Parsing is strict about values (a torn write, a hand edit, a disk that flipped a
/// bit: anything not a plausible counter makes the whole file unusable, never a smaller counter) and lenient about
/// keys it does not know (a newer version's additions).
/// </summary>
internal static class EnergyCountersFileFormat
{
    public const int Version = 1;

    /// <summary>A file without a device_instance (written by hand): anybody's.</summary>
    public const int AnyMeter = -1;

    public static byte[] Format(in EnergyCounts counts, int deviceInstance)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteNumber("device_instance", deviceInstance);
            for (var location = Location.Total; location <= Location.L3; location++)
            {
                double forward = counts.Forward(location), reverse = counts.Reverse(location);
                if (!EnergyIntegrator.IsPlausible(forward) && !EnergyIntegrator.IsPlausible(reverse)) continue;
                json.WriteStartObject(Name(location));
                if (EnergyIntegrator.IsPlausible(forward)) json.WriteNumber("forward", forward);
                if (EnergyIntegrator.IsPlausible(reverse)) json.WriteNumber("reverse", reverse);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a file's bytes; null when they are the counters, else what is wrong with them (a phrase).</summary>
    /// <param name="deviceInstance">Whose counters they are; <see cref="AnyMeter"/> when the file does not say.</param>
    public static string? TryParse(ReadOnlySpan<byte> text, out EnergyCounts counts, out int deviceInstance)
    {
        counts = EnergyCounts.Empty();
        var read = EnergyCounts.Empty(); // handed out only whole: a torn file's first counters are not taken either
        int owner = AnyMeter;
        string? problem = Read(text, ref read, ref owner);
        deviceInstance = problem is null ? owner : AnyMeter;
        if (problem is null) counts = read;
        return problem;
    }

    private static string? Read(ReadOnlySpan<byte> text, ref EnergyCounts counts, ref int deviceInstance)
    {
        try
        {
            var json = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = 8 });
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject) return "is not a JSON object";
            bool versioned = false;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueTextEquals("version"u8))
                {
                    json.Read();
                    if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out int version) || version != Version)
                        return $"has no version {Version}";
                    versioned = true;
                }
                else if (json.ValueTextEquals("device_instance"u8))
                {
                    json.Read();
                    if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out deviceInstance) || deviceInstance < 0)
                        return "has a device_instance that is not a whole number 0 or more";
                }
                else if (TryLocation(ref json, out Location location))
                {
                    json.Read();
                    if (json.TokenType != JsonTokenType.StartObject) return $"has a {Name(location)} that is not an object";
                    while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
                    {
                        bool? reverse = json.ValueTextEquals("forward"u8) ? false : json.ValueTextEquals("reverse"u8) ? true : null;
                        json.Read();
                        if (reverse is null) { json.Skip(); continue; }
                        if (json.TokenType != JsonTokenType.Number || !json.TryGetDouble(out double value) || !EnergyIntegrator.IsPlausible(value))
                            return $"has a {Name(location)} counter that is not a number of kWh 0 to {MeterRules.MaxEnergy:0}";
                        counts[location, reverse.Value] = value;
                    }
                    if (json.TokenType != JsonTokenType.EndObject) return "ends early";
                }
                else
                {
                    json.Read();
                    json.Skip();
                }
            }
            if (json.TokenType != JsonTokenType.EndObject) return "ends early";
            if (json.Read()) return "goes on after its end";
            return versioned ? null : $"has no version {Version}";
        }
        catch (JsonException)
        {
            return "is not valid JSON (torn, or edited by hand)";
        }
    }

    private static string Name(Location location) => location == Location.Total ? "total" : location.ToString();

    private static bool TryLocation(ref Utf8JsonReader json, out Location location)
    {
        for (location = Location.Total; location <= Location.L3; location++)
            if (json.ValueTextEquals(Name(location))) return true;
        return false;
    }
}
