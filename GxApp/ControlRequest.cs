namespace MeterBridge.GxApp;

/// <summary>A write on the control service that the app acts on (the service already checked it): which path, the value.
/// A class, not a record: never compared or printed.</summary>
internal sealed class ControlRequest(int row, int value)
{
    public int Row { get; } = row;
    public int Value { get; } = value;
}
