namespace MeterBridge.Core;

/// <summary>The payload's key for each quantity, as UTF-8 for the decoder and as text for messages.</summary>
public static class KeyNames
{
    public static ReadOnlySpan<byte> Utf8(Quantity quantity) => quantity switch
    {
        Quantity.Power => "power"u8,
        Quantity.Voltage => "voltage"u8,
        Quantity.Current => "current"u8,
        Quantity.Frequency => "frequency"u8,
        Quantity.PowerFactor => "power_factor"u8,
        Quantity.EnergyForward => "energy_forward"u8,
        _ => "energy_reverse"u8,
    };

    public static string Of(Quantity quantity) => quantity switch
    {
        Quantity.Power => "power",
        Quantity.Voltage => "voltage",
        Quantity.Current => "current",
        Quantity.Frequency => "frequency",
        Quantity.PowerFactor => "power_factor",
        Quantity.EnergyForward => "energy_forward",
        _ => "energy_reverse",
    };

    /// <summary>Matches a key of the <c>grid</c> object: a quantity, optionally with a Tasmota phase suffix (<c>power_L2</c>).</summary>
    public static bool TryMatch(ReadOnlySpan<byte> key, bool allowPhaseSuffix, out Quantity quantity, out Location location)
    {
        location = Location.Total;
        if (allowPhaseSuffix && key.Length > 3 && key[^3] == (byte)'_' && key[^2] == (byte)'L' && key[^1] is >= (byte)'1' and <= (byte)'3')
        {
            location = (Location)(key[^1] - '0');
            key = key[..^3];
        }
        for (quantity = Quantity.Power; quantity <= Quantity.EnergyReverse; quantity++)
            if (key.SequenceEqual(Utf8(quantity))) return true;
        return false;
    }

    /// <summary>Matches <c>L1</c>, <c>L2</c> or <c>L3</c>.</summary>
    public static bool TryMatchPhase(ReadOnlySpan<byte> key, out Location location)
    {
        location = Location.Total;
        if (key.Length != 2 || key[0] != (byte)'L' || key[1] is < (byte)'1' or > (byte)'3') return false;
        location = (Location)(key[1] - '0');
        return true;
    }
}
