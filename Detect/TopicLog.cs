using System.Buffers;

namespace MeterBridge.Detect;

/// <summary>
/// What <c>detect</c> keeps of a busy broker, in bounded memory: per topic a count and only the newest payload, at most
/// <see cref="MaxTopics"/> topics (later ones are only counted) and <see cref="MaxBytes"/> of payloads in all (a payload
/// that does not fit keeps the older one; a meter's topics are small and repeat). Thread-safe: MQTT writes, the
/// progress line and the report read.
/// </summary>
internal sealed class TopicLog(int maxPayloadSize)
{
    public const int MaxTopics = 4096;
    public const long MaxBytes = 8 * 1024 * 1024;

    private readonly Dictionary<string, SeenTopic> _topics = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _bytes;

    public long Messages { get; private set; }
    /// <summary>Messages on topics beyond <see cref="MaxTopics"/>, or larger than the payload limit.</summary>
    public long NotKept { get; private set; }

    public int TopicCount
    {
        get { lock (_gate) return _topics.Count; }
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
            int old = seen.Payload?.Length ?? 0;
            if (length != old)
            {
                if (_bytes - old + length > MaxBytes) return; // no room: the older payload stays
                seen.Payload = new byte[length];
                _bytes += length - old;
            }
            payload.CopyTo(seen.Payload);
            seen.Sequence = Messages;
        }
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
}
