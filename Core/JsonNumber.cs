using System.Globalization;
using System.Text.Json;

namespace MeterBridge.Core;

/// <summary>docs/payloads.md, numbers: a JSON number, or a string holding one in invariant form (blanks around allowed);
/// finite only. Shared by the seed decoder and the mapped one, so both judge a value alike.</summary>
internal static class JsonNumber
{
    /// <summary>Longest string that can still hold a number ("  -1.2345678901234567e+308  ").</summary>
    private const int MaxNumberText = 64;

    /// <summary>False for anything but a finite number or numeric string (null included: the caller decides what null means).</summary>
    public static bool TryRead(ref Utf8JsonReader reader, out double value)
    {
        value = double.NaN;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.TryGetDouble(out value)) return false;
                break;
            case JsonTokenType.String:
                if (reader.ValueSpan.Length > MaxNumberText) return false;
                Span<byte> text = stackalloc byte[MaxNumberText];
                int length = reader.CopyString(text);
                if (!double.TryParse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
                break;
            default:
                return false;
        }
        return double.IsFinite(value);
    }
}
