namespace MeterBridge.Config;

/// <summary>What the meter measures on the GX: the first part of its service name (<c>com.victronenergy.grid.*</c>).</summary>
/// <remarks>Public, one of the few product types that are: the tests' theories take it as a parameter.</remarks>
public enum Role : byte
{
    Grid,
    Genset,
    AcLoad,
    HeatPump,
    PvInverter,
}

/// <summary>The names a role goes by: on D-Bus and in config files (<c>acload</c>) and for people (<c>AC Load</c>).</summary>
internal static class RoleNames
{
    public static readonly string[] Allowed = ["grid", "genset", "acload", "heatpump", "pvinverter"];

    public static string Of(Role role) => Allowed[(int)role];

    public static string Display(Role role) => role switch
    {
        Role.Grid => "Grid",
        Role.Genset => "Genset",
        Role.AcLoad => "AC Load",
        Role.HeatPump => "Heat Pump",
        _ => "PV Inverter",
    };

    public static bool TryParse(string? text, out Role role)
    {
        int index = Array.IndexOf(Allowed, text?.Trim().ToLowerInvariant());
        role = index < 0 ? Role.Grid : (Role)index;
        return index >= 0;
    }
}
