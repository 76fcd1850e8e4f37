namespace MeterBridge.Mqtt;

/// <summary>
/// Where the bridge tells the MQTT edge what its status is (<see cref="StatusPublisher"/>). Both calls are cheap and
/// wake nothing unless something changed, so neither costs the hot loop a wake-up per message.
/// </summary>
internal interface IStatusSink
{
    /// <summary>Publisher thread: the meter's state, service, role or VRM instance changed.</summary>
    void Show(BridgeStatus status);

    /// <summary>Reader thread: a message was rejected for <paramref name="reason"/>.</summary>
    /// <param name="kind">The reason and key without the value (as the log's RepeatFilter counts): only a new kind is news.</param>
    void Rejected(string reason, string kind);
}
