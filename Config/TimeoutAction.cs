namespace MeterBridge.Config;

/// <summary>What happens when no message was accepted for <c>timeout</c> seconds (docs/payloads.md "Staleness").</summary>
public enum TimeoutAction : byte
{
    Remove,
    Zero,
    Invalidate,
    Exit,
}
