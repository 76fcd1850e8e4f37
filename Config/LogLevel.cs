namespace MeterBridge.Config;

/// <summary>The <c>logging</c> key: lines below this level are not written.</summary>
public enum LogLevel : byte
{
    Debug,
    Info,
    Warning,
    Error,
}
