namespace MeterBridge.Detect;

/// <summary>
/// One detect: listen to the broker for a while, then name the meters found. Used by <c>meterbridge detect</c> and by the
/// app's control service (<c>/Detect/Start</c>); neither publishes anything on the broker.
/// </summary>
internal static class DetectSession
{
    /// <summary>What one listen gave: the meters, best first; why the broker could not be read (null when it could); the log.</summary>
    public sealed record Outcome(IReadOnlyList<FoundMeter> Meters, string? Problem, TopicLog Log);

    /// <param name="tick">Called about once a second while listening, with the log so far.</param>
    public static async Task<Outcome> RunAsync(Config.Settings settings, string filter, TimeSpan duration, Action<TopicLog> tick, CancellationToken stop)
    {
        var log = new TopicLog(settings.MaxPayloadSize);
        var listener = new BrokerListener(settings, filter, log);
        string? problem = await listener.ListenAsync(duration, () => tick(log), stop);
        return new Outcome(Found(log, settings), problem, log);
    }

    /// <summary>The meters in what the log holds now, best first.</summary>
    public static List<FoundMeter> Found(TopicLog log, Config.Settings settings) => log.Read((_, messages) => Detector.Find(messages, settings));
}
