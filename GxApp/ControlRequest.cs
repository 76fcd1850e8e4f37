namespace MeterBridge.GxApp;

/// <summary>A write on the control service that the app acts on (the service already checked it): which path, the value.</summary>
internal sealed record ControlRequest(int Row, int Value);
