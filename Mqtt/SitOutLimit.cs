namespace MeterBridge.Mqtt;

/// <summary>
/// How long the QoS 0 reader may sit out without reading. What arrives meanwhile waits in the kernel, and once the
/// socket buffers are full, in the broker's queue for this client: Mosquitto keeps at most 1 000 messages there
/// (max_queued_messages, which counts QoS 0 for a connected client) and then drops the newest, the very message that
/// must win. So the reader estimates the rate from what it found after its last sit-out and sits out at most as long as
/// <see cref="MessagesPerSitOut"/> messages take to arrive; right after a quiet spell, when the rate is unknown, at most
/// <see cref="FirstMilliseconds"/>. A steady meter (one message per second, or a hundred) keeps its one wake-up per
/// update interval; a flood is read as it comes, still published at most once per interval.
/// </summary>
internal sealed class SitOutLimit(long frequency)
{
    /// <summary>A fifth of Mosquitto's default per-client queue: room for the kernel's share and a rate that doubles.</summary>
    public const int MessagesPerSitOut = 200;

    public const int FirstMilliseconds = 10;

    private long _since = -1; // when the last sit-out began; -1: the reader has waited in recv since
    private int _messages;    // read since then

    /// <summary>A message (or a skipped one) was read.</summary>
    public void Counted() => _messages++;

    /// <summary>The reader is about to wait in recv: what comes next arrives after a quiet spell.</summary>
    public void Quiet()
    {
        _since = -1;
        _messages = 0;
    }

    /// <summary>The reader sits out from <paramref name="now"/>.</summary>
    public void SittingOut(long now)
    {
        _since = now;
        _messages = 0;
    }

    /// <summary>The latest Stopwatch time a sit-out starting <paramref name="now"/> may last until.</summary>
    public long Until(long now)
    {
        if (_since < 0) return now + frequency * FirstMilliseconds / 1000;
        if (_messages == 0) return long.MaxValue;
        return now + Math.Max(1, now - _since) * MessagesPerSitOut / _messages;
    }
}
