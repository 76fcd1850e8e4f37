using MeterBridge.Core;

namespace MeterBridge.Items;

/// <summary>
/// Every D-Bus path a meter service can have, declared as a table (like dbus-modbus-client's
/// register tables). Rows 0–27 are the measurements in <see cref="Reading"/> order
/// (location × quantity), so the meter's values map onto rows without a lookup.
/// Which rows are present depends on the phases seen and the role.
/// </summary>
internal static class MeterPaths
{
    /// <summary>The leaf under <c>/Ac</c> or <c>/Ac/Lx</c> for each <see cref="Quantity"/>, in order.</summary>
    private static readonly (string Leaf, TextFormat Format)[] Leaves =
    [
        ("Power", TextFormat.Watt),
        ("Voltage", TextFormat.Volt),
        ("Current", TextFormat.Ampere),
        ("Frequency", TextFormat.Hertz),
        ("PowerFactor", TextFormat.PowerFactor),
        ("Energy/Forward", TextFormat.KiloWattHour),
        ("Energy/Reverse", TextFormat.KiloWattHour),
    ];

    public const int NrOfPhases = Reading.Size;
    public const int Connected = NrOfPhases + 1;
    public const int UpdateIndex = NrOfPhases + 2;
    public const int ErrorCode = NrOfPhases + 3;
    public const int DeviceInstance = NrOfPhases + 4;
    public const int ProductId = NrOfPhases + 5;
    public const int ProductName = NrOfPhases + 6;
    public const int CustomName = NrOfPhases + 7;
    public const int FirmwareVersion = NrOfPhases + 8;
    public const int HardwareVersion = NrOfPhases + 9;
    public const int Serial = NrOfPhases + 10;
    public const int ProcessName = NrOfPhases + 11;
    public const int ProcessVersion = NrOfPhases + 12;
    public const int Connection = NrOfPhases + 13;
    public const int IsGenericEnergyMeter = NrOfPhases + 14;
    public const int AllowedRoles = NrOfPhases + 15;
    public const int Role = NrOfPhases + 16;
    public const int Position = NrOfPhases + 17;

    public static readonly ItemDef[] All =
    [
        .. Measurements(),
        new("/NrOfPhases", TextFormat.Integer),
        new("/Connected", TextFormat.Integer),
        new("/UpdateIndex", TextFormat.Integer),
        new("/ErrorCode", TextFormat.Integer),
        new("/DeviceInstance", TextFormat.Integer),
        new("/ProductId", TextFormat.Hex),
        new("/ProductName", TextFormat.Plain),
        new("/CustomName", TextFormat.Plain, Writable: true),
        new("/FirmwareVersion", TextFormat.Plain),
        new("/HardwareVersion", TextFormat.Plain),
        new("/Serial", TextFormat.Plain),
        new("/Mgmt/ProcessName", TextFormat.Plain),
        new("/Mgmt/ProcessVersion", TextFormat.Plain),
        new("/Mgmt/Connection", TextFormat.Plain),
        new("/IsGenericEnergyMeter", TextFormat.Integer),
        new("/AllowedRoles", TextFormat.Plain),
        new("/Role", TextFormat.Plain, Writable: true),
        new("/Position", TextFormat.Integer, Writable: true),
    ];

    public static int Measurement(Location location, Quantity quantity) => Reading.Index(location, quantity);

    public static Location LocationOf(int row) => (Location)(row / Reading.Quantities);

    private static IEnumerable<ItemDef> Measurements()
    {
        foreach (var prefix in (string[])["/Ac", "/Ac/L1", "/Ac/L2", "/Ac/L3"])
            foreach (var (leaf, format) in Leaves)
                yield return new ItemDef($"{prefix}/{leaf}", format);
    }
}

/// <summary>One row of the path table: the D-Bus path, how its text looks, and whether clients may write it.</summary>
internal sealed record ItemDef(string Path, TextFormat Format, bool Writable = false);
