namespace MeterBridge.Detect;

/// <summary>
/// One topic as <c>detect</c> saw it: how many messages, and the newest payload (null when it was too large to keep, or
/// no room was left), with its place in the order of arrival so a meter's messages can be replayed in that order.
/// </summary>
internal sealed class SeenTopic(string topic)
{
    public string Topic { get; } = topic;
    public long Count { get; set; }
    public byte[]? Payload { get; set; }
    /// <summary>When the newest payload arrived, counted over all topics.</summary>
    public long Sequence { get; set; }
}
