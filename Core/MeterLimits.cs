namespace MeterBridge.Core;

/// <summary>The configured values the meter falls back to and the limits it enforces on a payload.</summary>
internal sealed record MeterLimits(double Voltage = 230, double Frequency = 50, double PowerThresholdPerPhase = 23000, int MaxPayloadSize = 65536)
{
    /// <summary>A total may be up to three phases' worth.</summary>
    public double PowerThresholdTotal => 3 * PowerThresholdPerPhase;
}
