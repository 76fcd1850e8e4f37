namespace MeterBridge.Mqtt;

/// <summary>
/// Where the bridge tells the MQTT edge what its status is (<see cref="StatusPublisher"/>). The publisher thread publishes
/// the state itself, inline, when it changed; the reader only records rejections and asks for a wake-up when the kind
/// is new. Nothing here costs the hot loop a wake-up per message.
/// </summary>
internal interface IStatusSink
{
    /// <summary>
    /// Publisher thread, before each sleep: the status now (the same instance while nothing changed). Publishes the
    /// state when it or the last rejection's kind changed, at most once per <see cref="StatusPublisher.StateInterval"/>.
    /// </summary>
    /// <param name="now">Stopwatch timestamp.</param>
    /// <returns>When to call again for a change held back (a Stopwatch timestamp), or long.MaxValue.</returns>
    long Show(BridgeStatus status, long now);

    /// <summary>Reader thread: a message was rejected for <paramref name="reason"/>.</summary>
    /// <param name="kind">The reason and key without the value (as the log's RepeatFilter counts): only a new kind is news.</param>
    /// <returns>True when the publisher thread should wake and call <see cref="Show"/>: a new kind, and none waiting yet.</returns>
    bool Rejected(string reason, string kind);
}
