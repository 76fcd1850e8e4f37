using System.Buffers;

namespace MeterBridge.Detect;

/// <summary>
/// What <c>detect</c> keeps of a busy broker, in bounded memory: per topic a count, and the messages themselves in order
/// of arrival, so a meter is the replay of all its messages as <c>run</c> merges them, not of the newest alone.
/// At most <see cref="MaxTopics"/> topics (later ones are only counted), and <see cref="MaxBytes"/> of payloads in
/// <see cref="MaxMessages"/> messages in all. A message byte for byte like its topic's newest replaces it (the replay
/// ends the same: the newer one sets the same values later); beyond the bounds the message superseded longest ago goes
/// first (<see cref="Evicted"/>), never a topic's newest; a message that does not fit even then keeps the older one.
/// Thread-safe: MQTT writes, the progress line and the report read.
/// </summary>
internal sealed class TopicLog(int maxPayloadSize)
{
    public const int MaxTopics = 4096;
    public const long MaxBytes = 8 * 1024 * 1024;
    public const int MaxMessages = 16384;

    private readonly Dictionary<string, SeenTopic> _topics = new(StringComparer.Ordinal);
    // Kept messages in order of arrival; a dropped one leaves a null until the next read closes the gaps.
    private readonly List<SeenMessage?> _kept = [];
    private int _gaps;
    // Kept messages that are no longer their topic's newest, in the order they were superseded (some already dropped).
    private readonly Queue<SeenMessage> _superseded = new();
    private readonly Lock _gate = new();
    private long _bytes;
    private long _supersededBytes;

    public long Messages { get; private set; }
    /// <summary>Messages on topics beyond <see cref="MaxTopics"/>, or larger than the payload limit.</summary>
    public long NotKept { get; private set; }
    /// <summary>Older messages dropped to stay within the bounds (a newer one on their topic is kept).</summary>
    public long Evicted { get; private set; }

    public int TopicCount
    {
        get { lock (_gate) return _topics.Count; }
    }

    public int KeptCount
    {
        get { lock (_gate) return _kept.Count - _gaps; }
    }

    public void Add(string topic, ReadOnlySequence<byte> payload)
    {
        lock (_gate)
        {
            Messages++;
            if (!_topics.TryGetValue(topic, out SeenTopic? seen))
            {
                if (_topics.Count >= MaxTopics) { NotKept++; return; }
                _topics[topic] = seen = new SeenTopic(topic);
            }
            seen.Count++;
            if (payload.Length > maxPayloadSize)
            {
                NotKept++;
                return;
            }
            int length = (int)payload.Length;
            SeenMessage? previous = seen.Newest;
            if (previous is not null && previous.Payload.Length == length && Same(payload, previous.Payload))
            {
                Drop(previous);
                Keep(seen, new SeenMessage(seen, previous.Payload, Messages));
                return;
            }
            long room = MaxBytes + _supersededBytes + (previous?.Payload.Length ?? 0) - _bytes;
            if (length > room) return; // no room even without every superseded message: the older one stays
            var copy = new byte[length];
            payload.CopyTo(copy);
            var message = new SeenMessage(seen, copy, Messages);
            Keep(seen, message);
            _bytes += length;
            if (previous is not null)
            {
                _superseded.Enqueue(previous);
                _supersededBytes += previous.Payload.Length;
            }
            while ((_bytes > MaxBytes || _kept.Count - _gaps > MaxMessages) && _superseded.TryDequeue(out SeenMessage? oldest))
            {
                if (oldest.Index < 0) continue;
                _supersededBytes -= oldest.Payload.Length;
                _bytes -= oldest.Payload.Length;
                Drop(oldest);
                Evicted++;
            }
        }
    }

    private static bool Same(ReadOnlySequence<byte> payload, byte[] kept) =>
        payload.IsSingleSegment ? payload.FirstSpan.SequenceEqual(kept) : SameSegments(payload, kept);

    private static bool SameSegments(ReadOnlySequence<byte> payload, byte[] kept)
    {
        int at = 0;
        foreach (ReadOnlyMemory<byte> segment in payload)
        {
            if (!segment.Span.SequenceEqual(kept.AsSpan(at, segment.Length))) return false;
            at += segment.Length;
        }
        return true;
    }

    private void Keep(SeenTopic topic, SeenMessage message)
    {
        if (_gaps > 1024 && _gaps > _kept.Count / 2) CloseGaps();
        message.Index = _kept.Count;
        _kept.Add(message);
        topic.Newest = message;
    }

    private void Drop(SeenMessage message)
    {
        _kept[message.Index] = null;
        message.Index = -1;
        _gaps++;
    }

    private void CloseGaps()
    {
        int to = 0;
        for (int from = 0; from < _kept.Count; from++)
        {
            if (_kept[from] is not { } message) continue;
            message.Index = to;
            _kept[to++] = message;
        }
        _kept.RemoveRange(to, _kept.Count - to);
        _gaps = 0;
    }

    /// <summary>A message too large to read was dropped on the way in (OversizedPublishFilter): only counted.</summary>
    public void AddOversized()
    {
        lock (_gate)
        {
            Messages++;
            NotKept++;
        }
    }

    /// <summary>Runs <paramref name="read"/> on the topics while no message changes them.</summary>
    public T Read<T>(Func<IReadOnlyCollection<SeenTopic>, T> read)
    {
        lock (_gate) return read(_topics.Values);
    }

    /// <summary>Runs <paramref name="read"/> on the topics and the kept messages, oldest first, while no message changes them.</summary>
    public T Read<T>(Func<IReadOnlyCollection<SeenTopic>, IReadOnlyCollection<SeenMessage>, T> read)
    {
        lock (_gate)
        {
            if (_gaps > 0) CloseGaps();
            return read(_topics.Values, _kept!);
        }
    }
}
