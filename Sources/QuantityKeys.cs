using MeterBridge.Core;

namespace MeterBridge.Sources;

/// <summary>
/// The keys of a <c>[MAPPING]</c> section: the payload's quantity names (<see cref="KeyNames"/>), alone for the total or
/// with <c>_l1</c>…<c>_l3</c> for a phase, lower case as configparser hands them over (<c>power_L1</c> is <c>power_l1</c>).
/// </summary>
public static class QuantityKeys
{
    public static bool TryParse(string key, out Location location, out Quantity quantity)
    {
        location = Location.Total;
        string name = key.ToLowerInvariant();
        if (name.Length > 3 && name[^3] == '_' && name[^2] == 'l' && name[^1] is >= '1' and <= '3')
        {
            location = (Location)(name[^1] - '0');
            name = name[..^3];
        }
        for (quantity = Quantity.Power; quantity <= Quantity.EnergyReverse; quantity++)
            if (name == KeyNames.Of(quantity)) return true;
        return false;
    }

    /// <summary>The key as the README writes it: <c>power</c>, <c>power_L1</c>.</summary>
    public static string Of(Location location, Quantity quantity) =>
        location == Location.Total ? KeyNames.Of(quantity) : $"{KeyNames.Of(quantity)}_{location}";
}
