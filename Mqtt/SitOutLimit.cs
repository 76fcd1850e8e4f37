namespace MeterBridge.Mqtt;

/// <summary>
/// How long the QoS 0 reader may sit out without reading. What arrives meanwhile waits in the socket buffers, and
/// once they are full, in the broker's queue for this client, which has two ways to hurt: it holds at most 1 000
/// messages (Mosquitto's max_queued_messages, which counts QoS 0 for a connected client) and then drops the newest,
/// the very message that must win; and while the buffers are full, a reader that sits out a whole interval gets no
/// more than a buffer's worth per interval, so a burst of large messages crawls in for seconds. So the reader measures
/// what it found after its last sit-out and sits out at most as long as <see cref="MessagesPerSitOut"/> messages or
/// <see cref="BytesPerSitOut"/> bytes take to arrive at that rate; right after a quiet spell, when the rate is
/// unknown, at most <see cref="FirstMilliseconds"/>, and after a sit-out that found nothing, twice as long as that one.
/// A steady meter, one message a second or a hundred, keeps its one wake-up per update interval; a flood is read as it
/// comes, and still published at most once per interval.
/// </summary>
internal sealed class SitOutLimit(long frequency)
{
    /// <summary>A fifth of Mosquitto's default per-client queue: room for the kernel's share and a rate that doubles.</summary>
    public const int MessagesPerSitOut = 200;

    /// <summary>A quarter of a socket's default receive buffer on Linux (tcp_rmem: 128 KiB, about half of it for data).</summary>
    public const int BytesPerSitOut = 32 * 1024;

    public const int FirstMilliseconds = 10;

    private long _since = -1; // when the last sit-out began; -1: the reader has waited in recv since
    private int _messages;    // read since then
    private long _bytesAt;    // the byte count then

    /// <summary>A message (or a skipped one) was read.</summary>
    public void Counted() => _messages++;

    /// <summary>The reader is about to wait in recv: what comes next arrives after a quiet spell.</summary>
    public void Quiet()
    {
        _since = -1;
        _messages = 0;
    }

    /// <summary>The reader sits out from <paramref name="now"/>, having read <paramref name="bytesRead"/> bytes so far.</summary>
    public void SittingOut(long now, long bytesRead)
    {
        _since = now;
        _messages = 0;
        _bytesAt = bytesRead;
    }

    /// <summary>The latest Stopwatch time a sit-out starting <paramref name="now"/> may last until.</summary>
    public long Until(long now, long bytesRead)
    {
        if (_since < 0) return now + frequency * FirstMilliseconds / 1000;
        long took = Math.Max(1, now - _since);
        long bytes = bytesRead - _bytesAt;
        // Nothing in a short sit-out is no proof of quiet (the broker may just be a moment behind): twice as long next time.
        if (_messages == 0 && bytes == 0) return now + 2 * took;
        return now + Math.Min(took * MessagesPerSitOut / Math.Max(1, _messages), took * BytesPerSitOut / Math.Max(1, bytes));
    }
}
