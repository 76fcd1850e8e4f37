using System.Runtime.CompilerServices;

namespace MeterBridge.Core;

/// <summary>
/// The quantities one payload carries: a value per location and quantity, NaN for
/// "not in this message". A fixed-size struct, so decoding a message allocates nothing.
/// </summary>
[InlineArray(Size)]
internal struct Reading
{
    public const int Locations = 4;
    public const int Quantities = 7;
    public const int Size = Locations * Quantities;

    private double _first;

    public static int Index(Location location, Quantity quantity) => (int)location * Quantities + (int)quantity;

    public static Reading Empty()
    {
        var reading = new Reading();
        ((Span<double>)reading).Fill(double.NaN);
        return reading;
    }

    public double this[Location location, Quantity quantity]
    {
        readonly get => this[Index(location, quantity)];
        set => this[Index(location, quantity)] = value;
    }

    public readonly bool Carries(Location location)
    {
        ReadOnlySpan<double> values = this;
        foreach (var value in values.Slice((int)location * Quantities, Quantities))
            if (!double.IsNaN(value)) return true;
        return false;
    }

    public readonly bool CarriesAnything()
    {
        ReadOnlySpan<double> values = this;
        foreach (var value in values)
            if (!double.IsNaN(value)) return true;
        return false;
    }
}
