using System.Text;

namespace MeterBridge.Core;

/// <summary>What a payload key measures. The order is the order of the D-Bus leaves in Items/MeterPaths.</summary>
/// <remarks>Public, one of the few product types that are: the tests' theories take it as a parameter.</remarks>
public enum Quantity : byte
{
    Power = 0,
    Voltage = 1,
    Current = 2,
    Frequency = 3,
    PowerFactor = 4,
    EnergyForward = 5,
    EnergyReverse = 6,
}

/// <summary>Where a quantity was measured: the meter's total or one phase.</summary>
/// <remarks>Public, one of the few product types that are: the tests' theories take it as a parameter.</remarks>
public enum Location : byte
{
    Total = 0,
    L1 = 1,
    L2 = 2,
    L3 = 3,
}

/// <summary>
/// The names of the quantities and of their phases, said once for every place that writes or reads them: the seed JSON's
/// keys (<c>power</c>, <c>grid.L1.power</c>, Tasmota's <c>power_L1</c>) and the <c>[MAPPING]</c> keys (<c>power_l1</c>, lower
/// case as configparser hands them over).
/// </summary>
internal static class QuantityKeys
{
    /// <summary>The quantity's key, as UTF-8 for the decoder.</summary>
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

    /// <summary>The quantity's key, as text for messages.</summary>
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

    /// <summary>Every quantity's key, for messages: <c>power, voltage, …, energy_reverse</c>.</summary>
    public static string List()
    {
        var names = new List<string>();
        for (var quantity = Quantity.Power; quantity <= Quantity.EnergyReverse; quantity++)
            names.Add(Of(quantity));
        return string.Join(", ", names);
    }

    /// <summary>The key in the seed JSON: <c>grid.power</c>, <c>grid.L1.power</c>.</summary>
    public static string SeedPath(Location location, Quantity quantity) =>
        location == Location.Total ? "grid." + Of(quantity) : "grid." + location + "." + Of(quantity);

    /// <summary>The [MAPPING] key as the README writes it: <c>power</c>, <c>power_L1</c>.</summary>
    public static string MappingKey(Location location, Quantity quantity) =>
        location == Location.Total ? Of(quantity) : $"{Of(quantity)}_{location}";

    /// <summary>Matches a key of the <c>grid</c> object, case-sensitive as the Python driver: a quantity, optionally with a
    /// Tasmota phase suffix (<c>power_L2</c>).</summary>
    public static bool TryMatch(ReadOnlySpan<byte> key, bool allowPhaseSuffix, out Quantity quantity, out Location location) =>
        TryMatch(key, allowPhaseSuffix, ignoreCase: false, out quantity, out location);

    /// <summary>Matches <c>L1</c>, <c>L2</c> or <c>L3</c>.</summary>
    public static bool TryMatchPhase(ReadOnlySpan<byte> key, out Location location) => TryMatchPhase(key, ignoreCase: false, out location);

    /// <summary>Reads a [MAPPING] key: a quantity alone for the total or with <c>_l1</c>…<c>_l3</c> for a phase, any case.</summary>
    public static bool TryParseMappingKey(string key, out Location location, out Quantity quantity)
    {
        Span<byte> utf8 = stackalloc byte[32]; // longer than every quantity key with its suffix
        location = Location.Total;
        quantity = default;
        return Encoding.UTF8.TryGetBytes(key, utf8, out int length)
            && TryMatch(utf8[..length], allowPhaseSuffix: true, ignoreCase: true, out quantity, out location);
    }

    private static bool TryMatch(ReadOnlySpan<byte> key, bool allowPhaseSuffix, bool ignoreCase, out Quantity quantity, out Location location)
    {
        location = Location.Total;
        if (allowPhaseSuffix && key.Length > 3 && key[^3] == (byte)'_' && TryMatchPhase(key[^2..], ignoreCase, out location))
            key = key[..^3];
        for (quantity = Quantity.Power; quantity <= Quantity.EnergyReverse; quantity++)
            if (ignoreCase ? Ascii.EqualsIgnoreCase(key, Utf8(quantity)) : key.SequenceEqual(Utf8(quantity))) return true;
        return false;
    }

    private static bool TryMatchPhase(ReadOnlySpan<byte> key, bool ignoreCase, out Location location)
    {
        location = Location.Total;
        if (key.Length != 2 || !(key[0] == (byte)'L' || (ignoreCase && key[0] == (byte)'l')) || key[1] is < (byte)'1' or > (byte)'3') return false;
        location = (Location)(key[1] - '0');
        return true;
    }
}
