namespace MeterBridge.Core;

/// <summary>How the meter shows its values: fresh, or stale under the <c>zero</c> or <c>invalidate</c> timeout action.</summary>
internal enum Staleness : byte
{
    Fresh = 0,
    Zeroed,
    Invalidated,
}
