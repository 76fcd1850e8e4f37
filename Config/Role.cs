namespace MeterBridge.Config;

/// <summary>What the meter measures on the GX: the first part of its service name (<c>com.victronenergy.grid.*</c>).</summary>
public enum Role : byte
{
    Grid,
    Genset,
    AcLoad,
    HeatPump,
    PvInverter,
}
