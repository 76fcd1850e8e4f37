namespace MeterBridge.Bench.EndToEnd;

/// <summary>
/// What one rate measured. Wake-ups are the bridge's voluntary context switches (all threads) per message; latencies
/// (publish → signal, ms) are of the messages that came after a quiet update interval; CPU in µs per message,
/// dbus-daemon's CPU in ms per second of the run, memory in KiB.
/// </summary>
public sealed record RateResult(
    int Rate,
    int Sent,
    double SignalsPerSecond,
    double WakeupsPerMessage,
    int QuietMessages,
    double QuietLatencyP50,
    double QuietLatencyP99,
    double? NewestAge,
    double CpuPerMessageStat,
    double CpuPerMessageSchedstat,
    double BusCpuMsPerSecond,
    long Rss,
    long PeakRss);

/// <summary>One bridge process at one update_interval: its start, its idle state, and every rate.</summary>
public sealed record IntervalRun(int UpdateInterval, double StartMs, long IdleRss, long IdlePeakRss, double IdleWakeupsPerSecond, List<RateResult> Rates);
