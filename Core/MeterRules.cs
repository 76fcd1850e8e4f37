namespace MeterBridge.Core;

/// <summary>
/// The plausibility rules of docs/payloads.md: a message that breaks one is rejected whole,
/// so a Tasmota glitch of 999999 W never reaches the ESS loop.
/// </summary>
internal static class MeterRules
{
    public static Verdict Check(in Reading reading, MeterLimits limits)
    {
        if (!reading.CarriesAnything()) return new(RejectReason.NoQuantity);
        for (var location = Location.Total; location <= Location.L3; location++)
        {
            double powerLimit = location == Location.Total ? limits.PowerThresholdTotal : limits.PowerThresholdPerPhase;
            double power = reading[location, Quantity.Power];
            if (Math.Abs(power) > powerLimit) return new(RejectReason.PowerOutOfRange, location, Quantity.Power, power);

            foreach (var quantity in (ReadOnlySpan<Quantity>)[Quantity.Voltage, Quantity.Frequency, Quantity.EnergyForward, Quantity.EnergyReverse])
            {
                double value = reading[location, quantity];
                if (value < 0) return new(RejectReason.Negative, location, quantity, value);
            }

            double powerFactor = reading[location, Quantity.PowerFactor];
            if (Math.Abs(powerFactor) > 1) return new(RejectReason.PowerFactorOutOfRange, location, Quantity.PowerFactor, powerFactor);
        }
        return Verdict.Accepted;
    }
}
