using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MeterBridge.Sources;

/// <summary>
/// The value of a whole payload, for a rule without a pointer (Shelly Gen1, ESPHome, Home Assistant statestream):
/// a number, or a JSON string holding one; <c>null</c>, <c>nan</c>, <c>none</c>, <c>unknown</c>, <c>unavailable</c>, the
/// empty payload (any case, also inside a JSON string), a JSON object or array are not carried; anything else is bad.
/// The payload comes trimmed of blanks and a byte order mark.
/// </summary>
internal static class BareValue
{
    private const int MaxText = 64;

    public static ValueKind Read(ReadOnlySpan<byte> payload, out double value)
    {
        value = double.NaN;
        if (payload.Length > 0 && payload[0] is (byte)'{' or (byte)'[') return ValueKind.NotCarried;
        Span<byte> buffer = stackalloc byte[MaxText];
        scoped ReadOnlySpan<byte> text = payload;
        if (payload.Length > 0 && payload[0] == (byte)'"')
        {
            if (payload.Length > MaxText + 2 || !TryReadString(payload, buffer, out int length)) return ValueKind.Bad;
            text = buffer[..length].Trim(" \t\r\n"u8);
        }
        if (text.IsEmpty || IsNoValue(text)) return ValueKind.NotCarried;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)
            ? ValueKind.Number : ValueKind.Bad;
    }

    private static bool IsNoValue(ReadOnlySpan<byte> text) =>
        Ascii.EqualsIgnoreCase(text, "null"u8) || Ascii.EqualsIgnoreCase(text, "nan"u8) || Ascii.EqualsIgnoreCase(text, "none"u8)
        || Ascii.EqualsIgnoreCase(text, "unknown"u8) || Ascii.EqualsIgnoreCase(text, "unavailable"u8);

    /// <summary>A payload that is exactly one JSON string, unescaped into <paramref name="buffer"/>.</summary>
    private static bool TryReadString(ReadOnlySpan<byte> payload, Span<byte> buffer, out int length)
    {
        length = 0;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.String) return false;
            length = reader.CopyString(buffer);
            return !reader.Read(); // nothing after the string; the reader throws on garbage
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

/// <summary>What a rule found in a message: a number, nothing (not carried), or something that rejects the message.</summary>
internal enum ValueKind : byte
{
    NotCarried,
    Number,
    Bad,
}
