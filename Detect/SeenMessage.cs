namespace MeterBridge.Detect;

/// <summary>
/// One message <c>detect</c> kept, in its place in the order of arrival: a meter is the replay of all of them, as
/// <c>run</c> merges them (a notification that carries only what changed, power and counters in separate messages).
/// </summary>
internal sealed class SeenMessage(SeenTopic topic, byte[] payload, long sequence)
{
    public SeenTopic Topic { get; } = topic;
    public byte[] Payload { get; } = payload;
    /// <summary>When it arrived, counted over all topics.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>What the Shelly and JSON recognisers made of it, computed once (they are pure): a busy log is read every second.</summary>
    internal Guesses? Recognised { get; set; }

    /// <param name="keys">Each guess's <see cref="Candidate.Key"/>: a flood of one topic's messages is one guess, found by key.</param>
    internal sealed class Guesses(List<Candidate> found, string[] keys, bool claimed)
    {
        public List<Candidate> Found { get; } = found;
        public string[] Keys { get; } = keys;
        public bool Claimed { get; } = claimed;
    }

    /// <summary>Its place in the log's list; -1 once dropped.</summary>
    internal int Index { get; set; } = -1;
}
