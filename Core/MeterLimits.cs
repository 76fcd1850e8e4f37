namespace MeterBridge.Core;

/// <summary>The configured values the meter falls back to and the limits it enforces on a payload.</summary>
internal sealed record MeterLimits(double Voltage = 230, double Frequency = 50, double PowerThresholdPerPhase = 23000, int MaxPayloadSize = 65536)
{
    /// <summary>
    /// The lowest voltage a phase current is bounded by: half of the lowest mains voltage there is (Japan's 100 V), so
    /// that a full threshold's power at a power factor of 0.5 on a 100 V phase still fits.
    /// </summary>
    public const double CurrentBoundVoltage = 50;

    /// <summary>A total may be up to three phases' worth.</summary>
    public double PowerThresholdTotal => 3 * PowerThresholdPerPhase;

    /// <summary>A phase current bounded by the power threshold: ± the threshold's watts at <see cref="CurrentBoundVoltage"/>.</summary>
    public double CurrentLimitPerPhase => PowerThresholdPerPhase / CurrentBoundVoltage;

    /// <summary>A total current may be up to three phases' worth, like the power.</summary>
    public double CurrentLimitTotal => 3 * CurrentLimitPerPhase;
}
