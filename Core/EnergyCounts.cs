using System.Runtime.CompilerServices;

namespace MeterBridge.Core;

/// <summary>
/// A forward and a reverse counter (kWh) per location, NaN for "none": what the counters file holds and what a save
/// copies out of the <see cref="EnergyIntegrator"/>. Fixed size, so a copy allocates nothing.
/// </summary>
[InlineArray(Size)]
internal struct EnergyCounts
{
    public const int Size = Reading.Locations * 2;

    private double _first;

    public static EnergyCounts Empty()
    {
        var counts = new EnergyCounts();
        ((Span<double>)counts).Fill(double.NaN);
        return counts;
    }

    private static int Index(Location location, bool reverse) => (int)location * 2 + (reverse ? 1 : 0);

    public double this[Location location, bool reverse]
    {
        readonly get => this[Index(location, reverse)];
        set => this[Index(location, reverse)] = value;
    }

    public readonly double Forward(Location location) => this[location, false];

    public readonly double Reverse(Location location) => this[location, true];
}
