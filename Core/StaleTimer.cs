namespace MeterBridge.Core;

/// <summary>
/// Counts the time since the last accepted message, in Stopwatch ticks handed in by the caller, so the rule
/// is testable without a clock. A timeout of 0 means the meter never goes stale.
/// </summary>
internal sealed class StaleTimer(double timeoutSeconds, long frequency)
{
    // Capped far beyond any real timeout (about 70 years in nanosecond ticks), so that deadlines never overflow.
    private readonly long _timeoutTicks = (long)Math.Min(timeoutSeconds * frequency, long.MaxValue / 4);
    private long _lastAccepted = long.MinValue;

    public bool Started => _lastAccepted != long.MinValue;

    public void Accepted(long now) => _lastAccepted = now;

    public bool IsStale(long now) => _timeoutTicks > 0 && Started && now - _lastAccepted >= _timeoutTicks;

    /// <summary>
    /// The time by which messages that have arrived must have been read: a guard before the stale deadline (a quarter of
    /// the timeout, at most 200 ms), or long.MaxValue when the meter cannot go stale.
    /// </summary>
    public long ReadBy() =>
        _timeoutTicks > 0 && Started ? _lastAccepted + _timeoutTicks - Math.Min(_timeoutTicks / 4, frequency / 5) : long.MaxValue;

    /// <summary>Ticks until the meter goes stale, or -1 when it cannot (never started, or no timeout).</summary>
    public long TicksLeft(long now) => _timeoutTicks > 0 && Started ? Math.Max(0, _lastAccepted + _timeoutTicks - now) : -1;
}

/// <summary>How the meter shows its values: fresh, or stale under the <c>zero</c> or <c>invalidate</c> timeout action.</summary>
internal enum Staleness : byte
{
    Fresh = 0,
    Zeroed,
    Invalidated,
}
