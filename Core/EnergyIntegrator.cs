namespace MeterBridge.Core;

/// <summary>
/// Counts energy from accepted power (<c>energy_from_power</c>), per location: the trapezoid between two power samples
/// of that location, the positive part into the forward counter and the negative part into the reverse one. Nothing is
/// counted across a gap of <c>timeout</c> seconds or more (60 s when the timeout is 0): such a gap is a stale meter or a
/// source that was away, and a straight line across it is a guess. Time is Stopwatch ticks handed in by the caller, so
/// the rules are testable on fake time. The counters only ever grow.
/// </summary>
internal sealed class EnergyIntegrator
{
    /// <summary>The gap used when the meter never goes stale (timeout = 0): a minute without power is not counted.</summary>
    public const double GapWithoutTimeout = 60;

    private const double WattSecondsPerKiloWattHour = 3_600_000;

    private readonly EnergyFromPower _mode;
    private readonly long _gapTicks;
    private readonly double _ticksPerSecond;
    private EnergyCounts _counts = EnergyCounts.Empty();
    private readonly double[] _lastPower = new double[Reading.Locations];
    private readonly long[] _lastSample = new long[Reading.Locations];
    private int _sampled;      // bit n: location n had a power sample in this run
    private int _sourceCounts; // bit n: the source sent a counter for location n (auto: ours stop)

    /// <param name="timeoutSeconds">The meter's timeout; 0 (never stale) counts across gaps shorter than <see cref="GapWithoutTimeout"/>.</param>
    public EnergyIntegrator(EnergyFromPower mode, double timeoutSeconds, long ticksPerSecond)
    {
        _mode = mode;
        double gap = timeoutSeconds > 0 ? timeoutSeconds : GapWithoutTimeout;
        _gapTicks = (long)Math.Min(gap * ticksPerSecond, long.MaxValue / 4);
        _ticksPerSecond = ticksPerSecond;
    }

    /// <summary>Grows each time a counter grows: a save compares it with the one it last wrote.</summary>
    public long Changes { get; private set; }

    /// <summary>
    /// Starts from counters kept by an earlier run (the counters file). A counter never goes down: a kept value below
    /// the one held is ignored, and so is one that is not a plausible counter.
    /// </summary>
    public void Restore(in EnergyCounts kept)
    {
        for (int i = 0; i < EnergyCounts.Size; i++)
        {
            double value = kept[i];
            if (!IsPlausible(value)) continue;
            if (double.IsNaN(_counts[i]) || value > _counts[i]) _counts[i] = value;
        }
    }

    /// <summary>A counter's value as a file may hold it: finite, not negative, within what any meter counts.</summary>
    public static bool IsPlausible(double kiloWattHours) => double.IsFinite(kiloWattHours) && kiloWattHours is >= 0 and <= MeterRules.MaxEnergy;

    /// <summary>
    /// An accepted reading at <paramref name="now"/>: every location it carries a power for adds the trapezoid since that
    /// location's previous power sample. Reader thread, under the gate; allocates nothing.
    /// </summary>
    public void Add(in Reading reading, long now)
    {
        if (_mode == EnergyFromPower.Off) return;
        for (var location = Location.Total; location <= Location.L3; location++)
        {
            int bit = 1 << (int)location;
            if (_mode == EnergyFromPower.Auto
                && (!double.IsNaN(reading[location, Quantity.EnergyForward]) || !double.IsNaN(reading[location, Quantity.EnergyReverse])))
                _sourceCounts |= bit;
            double power = reading[location, Quantity.Power];
            if (double.IsNaN(power) || (_sourceCounts & bit) != 0) continue;
            int i = (int)location;
            if ((_sampled & bit) != 0)
            {
                long elapsed = now - _lastSample[i];
                if (elapsed > 0 && elapsed < _gapTicks) Count(location, _lastPower[i], power, elapsed / _ticksPerSecond);
            }
            else
            {
                // The first sample shows the counter: from the kept value, or from 0.
                if (double.IsNaN(_counts[location, false])) _counts[location, false] = 0;
                if (double.IsNaN(_counts[location, true])) _counts[location, true] = 0;
            }
            _sampled |= bit;
            _lastPower[i] = power;
            _lastSample[i] = now;
        }
    }

    /// <summary>
    /// Whether the meter shows our counters at <paramref name="location"/>: counting is on, power came there in this run,
    /// and (auto) the source has sent no counter of its own there.
    /// </summary>
    public bool Shows(Location location)
    {
        int bit = 1 << (int)location;
        return _mode != EnergyFromPower.Off && (_sampled & bit) != 0 && (_mode == EnergyFromPower.On || (_sourceCounts & bit) == 0);
    }

    /// <summary>energy_from_power = 1: ours are shown even where the source sends counters.</summary>
    public bool OverridesSource => _mode == EnergyFromPower.On;

    /// <summary>The counter in kWh; NaN when it never counted nor was kept.</summary>
    public double Value(Location location, Quantity quantity) => _counts[location, quantity == Quantity.EnergyReverse];

    /// <summary>Every counter, for the counters file.</summary>
    public void CopyTo(ref EnergyCounts counts) => counts = _counts;

    /// <summary>
    /// The trapezoid from <paramref name="from"/> to <paramref name="to"/> watts over <paramref name="seconds"/>. A line
    /// that crosses zero is split where it crosses: the part above zero is bought, the part below sold.
    /// </summary>
    private void Count(Location location, double from, double to, double seconds)
    {
        double bought, sold;
        if (from >= 0 && to >= 0) (bought, sold) = ((from + to) / 2 * seconds, 0);
        else if (from <= 0 && to <= 0) (bought, sold) = (0, -(from + to) / 2 * seconds);
        else
        {
            double crossing = from / (from - to) * seconds; // where the line is 0: from the start, in seconds
            double first = from * crossing / 2, second = to * (seconds - crossing) / 2;
            (bought, sold) = from > 0 ? (first, -second) : (second, -first);
        }
        Grow(location, false, bought / WattSecondsPerKiloWattHour);
        Grow(location, true, sold / WattSecondsPerKiloWattHour);
    }

    private void Grow(Location location, bool reverse, double kiloWattHours)
    {
        if (!(kiloWattHours > 0)) return;
        double next = Math.Min(_counts[location, reverse] + kiloWattHours, MeterRules.MaxEnergy);
        if (next <= _counts[location, reverse]) return;
        _counts[location, reverse] = next;
        Changes++;
    }
}
