namespace MeterBridge.Meter;

/// <summary>The configured values the meter falls back to and the plausibility limit it enforces.</summary>
public sealed record MeterLimits(double Voltage = 230, double Frequency = 50, double PowerThresholdPerPhase = 23000)
{
    /// <summary>A total may be up to three phases' worth.</summary>
    public double PowerThresholdTotal => 3 * PowerThresholdPerPhase;
}
