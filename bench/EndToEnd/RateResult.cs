namespace MeterBridge.Bench.EndToEnd;

/// <summary>What one rate measured. Times in ms, CPU in µs per message, memory in KiB.</summary>
public sealed record RateResult(
    int Rate,
    int Sent,
    int Signals,
    double Delivered,
    double LatencyP50,
    double LatencyP90,
    double LatencyP99,
    double LatencyMax,
    double? NewestAge,
    double CpuPerMessageStat,
    double CpuPerMessageSchedstat,
    long Rss,
    long PeakRss);
