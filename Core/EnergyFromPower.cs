namespace MeterBridge.Core;

/// <summary>
/// Whether the meter counts energy from power (<c>energy_from_power</c>): for sources that send power only, so the GX and
/// VRM see kWh at all (docs/payloads.md "Energy counted from power").
/// </summary>
internal enum EnergyFromPower : byte
{
    /// <summary>Counts a location (the total, a phase) while the source has sent no counter for it; a source's counter takes over.</summary>
    Auto = 0,
    Off,
    /// <summary>Counts every location with power and shows its own counters even where the source sends some.</summary>
    On,
}
