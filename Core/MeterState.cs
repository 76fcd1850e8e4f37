namespace MeterBridge.Core;

/// <summary>
/// What the meter knows: the last received value of every quantity at every location, and which
/// phases exist. <see cref="Merge"/> applies an accepted reading; <see cref="Show"/> derives what
/// the meter displays (docs/payloads.md "Merging" and "What the meter shows").
/// </summary>
internal sealed class MeterState
{
    private Reading _received = Reading.Empty();
    private int _phases; // bit n set: phase Ln exists

    public MeterLimits Limits { get; }

    /// <summary>The counters from power (energy_from_power), where they stand in for the source's; null: none.</summary>
    public EnergyIntegrator? Energy { get; }

    public MeterState(MeterLimits limits, EnergyIntegrator? energy = null)
    {
        Limits = limits;
        Energy = energy;
    }

    public bool AnyPhase => _phases != 0;

    /// <summary>The highest existing phase, 1 if none.</summary>
    public int NrOfPhases => _phases >= 8 ? 3 : _phases >= 4 ? 2 : 1;

    public bool PhaseExists(Location phase) => (_phases & (1 << (int)phase)) != 0;

    /// <summary>Whether the location has paths on the bus: the total always; L1 also while it mirrors the total.</summary>
    public bool IsShown(Location location) =>
        location == Location.Total || PhaseExists(location) || (location == Location.L1 && !AnyPhase);

    public void Merge(in Reading reading)
    {
        for (int i = 0; i < Reading.Size; i++)
            if (!double.IsNaN(reading[i])) _received[i] = reading[i];
        for (var phase = Location.L1; phase <= Location.L3; phase++)
            if (reading.Carries(phase)) _phases |= 1 << (int)phase;
    }

    /// <summary>Writes the displayed value of every location and quantity into <paramref name="shown"/>; NaN is invalid.</summary>
    public void Show(Staleness staleness, ref Reading shown)
    {
        for (var location = Location.Total; location <= Location.L3; location++)
            for (var quantity = Quantity.Power; quantity <= Quantity.EnergyReverse; quantity++)
                shown[location, quantity] = Derive(location, quantity);

        // The GX reads only /Ac/Lx/Power: a total-only meter shows its total as L1.
        if (!AnyPhase)
            for (var quantity = Quantity.Power; quantity <= Quantity.EnergyReverse; quantity++)
                shown[Location.L1, quantity] = shown[Location.Total, quantity];

        if (staleness == Staleness.Fresh) return;
        for (int i = 0; i < Reading.Size; i++)
        {
            var quantity = (Quantity)(i % Reading.Quantities);
            if (staleness == Staleness.Invalidated) shown[i] = double.NaN;
            else if (quantity is Quantity.Power or Quantity.Current) shown[i] = 0;
        }
    }

    private double Derive(Location location, Quantity quantity)
    {
        if (quantity is Quantity.EnergyForward or Quantity.EnergyReverse) return DeriveEnergy(location, quantity);
        double received = _received[location, quantity];
        if (!double.IsNaN(received)) return received;
        return quantity switch
        {
            Quantity.Power => location == Location.Total ? SumOfPhasePowers() : double.NaN,
            Quantity.Voltage => Limits.Voltage,
            Quantity.Frequency => FrequencyFallback(location),
            Quantity.Current => CurrentFromPower(location),
            _ => double.NaN,
        };
    }

    /// <summary>
    /// A counter: the received one; else for the total the sum of the phases' received ones; else the one counted from
    /// power (energy_from_power); else for the total the sum of the phases' counters, received or counted. A real
    /// counter beats an estimate (a Shelly 3EM Gen1 counts per phase and sends a total power: its total is the phases'
    /// sum, not our count), except with energy_from_power = 1, where ours are shown wherever we count.
    /// </summary>
    private double DeriveEnergy(Location location, Quantity quantity)
    {
        bool counted = Energy?.Shows(location) == true;
        if (counted && Energy!.OverridesSource) return Energy.Value(location, quantity);
        double received = _received[location, quantity];
        if (!double.IsNaN(received)) return received;
        if (location != Location.Total) return counted ? Energy!.Value(location, quantity) : double.NaN;
        double sum = SumOfPhaseEnergies(quantity, countedToo: false);
        if (!double.IsNaN(sum)) return sum;
        return counted ? Energy!.Value(location, quantity) : SumOfPhaseEnergies(quantity, countedToo: true);
    }

    private double SumOfPhasePowers()
    {
        double sum = double.NaN;
        for (var phase = Location.L1; phase <= Location.L3; phase++)
        {
            double power = _received[phase, Quantity.Power];
            if (PhaseExists(phase) && !double.IsNaN(power)) sum = double.IsNaN(sum) ? power : sum + power;
        }
        return sum;
    }

    /// <summary>
    /// A meter that counts per phase (a Shelly 3EM Gen1) has no total counter: the total is the phases' sum, but only
    /// once every existing phase has one, since a partial sum would jump when the missing counter arrives.
    /// </summary>
    /// <param name="countedToo">A phase counted from power counts with its counter.</param>
    private double SumOfPhaseEnergies(Quantity quantity, bool countedToo)
    {
        double sum = double.NaN;
        for (var phase = Location.L1; phase <= Location.L3; phase++)
        {
            if (!PhaseExists(phase)) continue;
            double energy = countedToo && Energy?.Shows(phase) == true ? Energy.Value(phase, quantity) : _received[phase, quantity];
            if (double.IsNaN(energy)) return double.NaN;
            sum = double.IsNaN(sum) ? energy : sum + energy;
        }
        return sum;
    }

    /// <summary>A phase falls back to the total, the total to L1, both then to the configured value.</summary>
    private double FrequencyFallback(Location location)
    {
        double other = _received[location == Location.Total ? Location.L1 : Location.Total, Quantity.Frequency];
        return double.IsNaN(other) ? Limits.Frequency : other;
    }

    private double CurrentFromPower(Location location)
    {
        double power = Derive(location, Quantity.Power);
        double voltage = Derive(location, Quantity.Voltage);
        return voltage == 0 ? (double.IsNaN(power) ? double.NaN : 0) : power / voltage;
    }
}
