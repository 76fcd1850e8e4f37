namespace MeterBridge.Core;

/// <summary>
/// The plausibility rules of docs/payloads.md: a message that breaks one is rejected whole, so a Tasmota glitch of
/// 999999 W or a mapping's 100 000 000 A never reaches the ESS loop. Only power (and the current bounded by it) depends
/// on the installation, through <c>power_threshold_per_phase</c>; the other bounds are what any meter a GX reads can show.
/// </summary>
internal static class MeterRules
{
    /// <summary>A phase voltage (to neutral) of any low-voltage installation, up to IEC's 1000 V AC; the line-to-line
    /// voltage of a 400 V or 690 V network, published by mistake, still fits.</summary>
    public const double MaxVoltage = 1000;

    /// <summary>50 or 60 Hz, a generator running up or overspeeding, and 0 from a meter without a reading (a lost phase).</summary>
    public const double MaxFrequency = 100;

    /// <summary>kWh: 1 TWh, a 100 MW plant running for more than a year: no counter a GX reads gets there.</summary>
    public const double MaxEnergy = 1e9;

    public static Verdict Check(in Reading reading, MeterLimits limits)
    {
        if (!reading.CarriesAnything()) return new(RejectReason.NoQuantity);
        for (var location = Location.Total; location <= Location.L3; location++)
        {
            bool total = location == Location.Total;
            double power = reading[location, Quantity.Power];
            if (Math.Abs(power) > (total ? limits.PowerThresholdTotal : limits.PowerThresholdPerPhase))
                return new(RejectReason.PowerOutOfRange, location, Quantity.Power, power);

            double current = reading[location, Quantity.Current];
            if (Math.Abs(current) > (total ? limits.CurrentLimitTotal : limits.CurrentLimitPerPhase))
                return new(RejectReason.OutOfRange, location, Quantity.Current, current);

            double powerFactor = reading[location, Quantity.PowerFactor];
            if (Math.Abs(powerFactor) > 1) return new(RejectReason.PowerFactorOutOfRange, location, Quantity.PowerFactor, powerFactor);

            foreach (var quantity in (ReadOnlySpan<Quantity>)[Quantity.Voltage, Quantity.Frequency, Quantity.EnergyForward, Quantity.EnergyReverse])
            {
                double value = reading[location, quantity];
                if (value < 0) return new(RejectReason.Negative, location, quantity, value);
                if (value > Max(quantity)) return new(RejectReason.OutOfRange, location, quantity, value);
            }
        }
        return Verdict.Accepted;
    }

    /// <summary>The upper bound of a quantity that cannot be negative.</summary>
    public static double Max(Quantity quantity) => quantity switch
    {
        Quantity.Voltage => MaxVoltage,
        Quantity.Frequency => MaxFrequency,
        _ => MaxEnergy,
    };
}
