using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MeterBridge.Config;
using MeterBridge.Items;
using MeterBridge.Core;
using MeterBridge.Sources;

namespace MeterBridge.Cli;

/// <summary>
/// <c>meterbridge decode</c>: feeds messages, one per line, to one fresh meter and prints, per line, whether it
/// was accepted and every path the GX would then see. No network: this is how a user checks a payload or a mapping.
/// A line <c>TOPIC&lt;TAB&gt;PAYLOAD</c> is that payload on that topic; any other line is a payload on <c>topic</c>.
/// The lines are read as bytes and streamed, so the meter judges exactly the bytes the bridge would get, and a file
/// of any size runs in the same memory.
/// </summary>
internal static class DecodeCommand
{
    // Reasons hold "±" and "…": keep them readable for the person running the command.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(Settings settings, Stream input, TextWriter output)
    {
        var readout = new MeterReadout(settings.Limits, MappedDecoder.For(settings.Source));
        var buffer = new ArrayBufferWriter<byte>();
        var lines = new LineReader(input, settings.MaxPayloadSize);

        while (lines.Next() is { } line)
        {
            var verdict = line.Length > settings.MaxPayloadSize
                ? new Verdict(RejectReason.TooLarge, Value: line.Length)
                : Apply(readout, settings, line.Bytes);

            buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(buffer, JsonOptions))
            {
                json.WriteStartObject();
                json.WriteBoolean("accepted", verdict.IsAccepted);
                if (verdict.IsAccepted) json.WriteNull("reason");
                else json.WriteString("reason", verdict.Describe(settings.Limits));
                json.WriteStartObject("paths");
                readout.WritePaths(json);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Splits off a topic at the first tab when what precedes it is a topic, not the start of a payload (JSON may hold
    /// tabs as blanks): it does not start like JSON and holds no wildcard.
    /// </summary>
    private static Verdict Apply(MeterReadout meter, Settings settings, ReadOnlySpan<byte> line)
    {
        int tab = line.IndexOf((byte)'\t');
        if (tab > 0 && line[0] is not ((byte)'{' or (byte)'[' or (byte)'"' or (byte)' ' or 0xEF) && line[..tab].IndexOfAny("+#"u8) < 0)
            return meter.Apply(Encoding.UTF8.GetString(line[..tab]), line[(tab + 1)..]);
        return meter.Apply(settings.Topic, line);
    }
}
