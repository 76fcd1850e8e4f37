using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MeterBridge.Detect;

/// <summary>A found meter as one JSON object: <c>detect --json</c> prints one a line, the app's <c>/Detect/Result</c> holds them in an array.</summary>
internal static class DetectJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(FoundMeter meter)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options)) Write(meter, json);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Of(IEnumerable<FoundMeter> meters)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartArray();
            foreach (FoundMeter meter in meters) Write(meter, json);
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(FoundMeter meter, Utf8JsonWriter json)
    {
        Candidate candidate = meter.Candidate;
        json.WriteStartObject();
        json.WriteString("format", candidate.Format);
        json.WriteString("topic", candidate.Topic);
        json.WriteNumber("channel", candidate.Channel);
        json.WriteStartObject("mapping");
        foreach (var (key, rule) in candidate.Mapping) json.WriteString(key, rule);
        json.WriteEndObject();
        json.WriteString("kind", candidate.Kind);
        json.WriteNumber("phases", meter.Phases);
        json.WriteNumber("messages", meter.Messages);
        json.WriteStartObject("paths");
        meter.Readout.WritePaths(json);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
