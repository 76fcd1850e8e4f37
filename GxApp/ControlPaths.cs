using MeterBridge.Items;

namespace MeterBridge.GxApp;

/// <summary>
/// The paths of the app's control service <c>com.victronenergy.meterbridge</c> (docs/gx-app.md), as a table like
/// <see cref="MeterPaths"/>: the fixed rows first, then three rows per meter (<c>/Meters/N/State</c>, <c>Reason</c>,
/// <c>Service</c>) in the order the meters first came. The write-only paths read -1 (0 is a meter and a result), so
/// writing any real value reaches the app.
/// </summary>
internal static class ControlPaths
{
    public const int ProcessName = 0;
    public const int ProcessVersion = 1;
    public const int Connection = 2;
    public const int ProductName = 3;
    public const int DeviceInstance = 4;
    public const int Connected = 5;
    public const int MeterList = 6;
    public const int Add = 7;
    public const int Remove = 8;
    public const int DetectStart = 9;
    public const int DetectStop = 10;
    public const int DetectState = 11;
    public const int DetectMeter = 12;
    public const int DetectSecondsLeft = 13;
    public const int DetectError = 14;
    public const int DetectResult = 15;
    public const int DetectApply = 16;

    /// <summary>The value a write-only path reads.</summary>
    public const int NoRequest = -1;

    public static readonly ItemDef[] Fixed =
    [
        new("/Mgmt/ProcessName", TextFormat.Plain),
        new("/Mgmt/ProcessVersion", TextFormat.Plain),
        new("/Mgmt/Connection", TextFormat.Plain),
        new("/ProductName", TextFormat.Plain),
        new("/DeviceInstance", TextFormat.Integer),
        new("/Connected", TextFormat.Integer),
        new("/Meters", TextFormat.Plain),
        new("/Meters/Add", TextFormat.Integer, Writable: true),
        new("/Meters/Remove", TextFormat.Integer, Writable: true),
        new("/Detect/Start", TextFormat.Integer, Writable: true),
        new("/Detect/Stop", TextFormat.Integer, Writable: true),
        new("/Detect/State", TextFormat.Plain),
        new("/Detect/Meter", TextFormat.Integer),
        new("/Detect/SecondsLeft", TextFormat.Integer),
        new("/Detect/Error", TextFormat.Plain),
        new("/Detect/Result", TextFormat.Plain),
        new("/Detect/Apply", TextFormat.Integer, Writable: true),
    ];

    /// <summary>Per meter, after <see cref="Fixed"/>: its rows at <c>Fixed.Length + 3 × (its place)</c>, in this order.</summary>
    public const int State = 0, Reason = 1, Service = 2, PerMeter = 3;

    public static ItemDef[] With(IEnumerable<int> meters)
    {
        var defs = new List<ItemDef>(Fixed);
        foreach (int n in meters)
        {
            defs.Add(new($"/Meters/{n}/State", TextFormat.Plain));
            defs.Add(new($"/Meters/{n}/Reason", TextFormat.Plain));
            defs.Add(new($"/Meters/{n}/Service", TextFormat.Plain));
        }
        return [.. defs];
    }
}
