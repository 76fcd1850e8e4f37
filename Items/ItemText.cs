using System.Globalization;

namespace MeterBridge.Items;

/// <summary>Writes an item's text into a caller's buffer, invariant culture, without allocating.</summary>
internal static class ItemText
{
    /// <summary>Enough for any number this meter shows with its unit.</summary>
    public const int MaxNumberLength = 48;

    public static int Write(in BusValue value, TextFormat format, Span<char> destination)
    {
        if (!value.IsValid) return Copy("---", destination);
        if (value.Type == BusType.String) return Copy(value.AsString, destination);
        if (value.Type == BusType.StringList) return Copy(string.Join(", ", value.AsStringList), destination);

        var (numberFormat, unit) = format switch
        {
            TextFormat.Watt => ("F1", " W"),
            TextFormat.Volt => ("F1", " V"),
            TextFormat.Ampere => ("F1", " A"),
            TextFormat.Hertz => ("F2", " Hz"),
            TextFormat.PowerFactor => ("F3", ""),
            TextFormat.KiloWattHour => ("F2", " kWh"),
            TextFormat.Hex => ("X", ""),
            _ => ("F0", ""),
        };
        int written = 0;
        if (format == TextFormat.Hex)
        {
            written = Copy("0x", destination);
            ((long)value.Number).TryFormat(destination[written..], out int hex, numberFormat, CultureInfo.InvariantCulture);
            return written + hex;
        }
        value.Number.TryFormat(destination, out written, numberFormat, CultureInfo.InvariantCulture);
        return written + Copy(unit, destination[written..]);
    }

    public static string ToString(in BusValue value, TextFormat format)
    {
        int length = value.Type is BusType.String or BusType.StringList ? 4096 : MaxNumberLength;
        Span<char> buffer = length <= 256 ? stackalloc char[length] : new char[length];
        return new string(buffer[..Write(value, format, buffer)]);
    }

    private static int Copy(string text, Span<char> destination)
    {
        int length = Math.Min(text.Length, destination.Length);
        text.AsSpan(0, length).CopyTo(destination);
        return length;
    }
}
