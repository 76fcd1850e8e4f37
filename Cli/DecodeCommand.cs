using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MeterBridge.Config;
using MeterBridge.Items;
using MeterBridge.Meter;

namespace MeterBridge.Cli;

/// <summary>
/// <c>meterbridge decode</c>: feeds payloads, one per line, to one fresh meter and prints, per line, whether it
/// was accepted and every path the GX would then see. No network: this is how a user checks a payload.
/// </summary>
public static class DecodeCommand
{
    // Reasons hold "±" and "…": keep them readable for the person running the command.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(Settings settings, TextReader input, TextWriter output)
    {
        var meter = new Meter.Meter(settings.Limits);
        var items = new MeterItems();
        var table = new ItemTable();
        var buffer = new ArrayBufferWriter<byte>();

        while (input.ReadLine() is { } line)
        {
            var verdict = meter.Apply(Encoding.UTF8.GetBytes(line));
            if (meter.HasData) items.Update(table, meter.State, Staleness.Fresh);

            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer, JsonOptions))
            {
                json.WriteStartObject();
                json.WriteBoolean("accepted", verdict.IsAccepted);
                if (verdict.IsAccepted) json.WriteNull("reason");
                else json.WriteString("reason", verdict.Describe(settings.Limits));
                json.WriteStartObject("paths");
                for (int row = 0; row < table.Count; row++)
                    if (table.IsPresent(row)) WriteValue(json, table.Defs[row].Path, table[row]);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
        return 0;
    }

    private static void WriteValue(Utf8JsonWriter json, string path, BusValue value)
    {
        switch (value.Type)
        {
            case BusType.Double: json.WriteNumber(path, value.Number); break;
            case BusType.Int32: json.WriteNumber(path, value.AsInt32); break;
            case BusType.String: json.WriteString(path, value.AsString); break;
            default: json.WriteNull(path); break;
        }
    }
}
