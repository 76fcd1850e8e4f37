namespace MeterBridge.Detect;

/// <summary>
/// One topic as <c>detect</c> saw it: how many messages, and the newest one kept (null when none could be kept: too
/// large, or no room left).
/// </summary>
internal sealed class SeenTopic(string topic)
{
    public string Topic { get; } = topic;
    public long Count { get; set; }
    public SeenMessage? Newest { get; set; }
    public byte[]? Payload => Newest?.Payload;
    /// <summary>When the newest kept message arrived, counted over all topics.</summary>
    public long Sequence => Newest?.Sequence ?? 0;

    /// <summary>The guesses its messages gave last: shared by the next message that gives the same.</summary>
    internal SeenMessage.Guesses? LastGuesses { get; set; }
}
