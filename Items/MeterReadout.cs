using System.Text.Json;
using MeterBridge.Core;

namespace MeterBridge.Items;

/// <summary>
/// A fresh meter and the items the GX would see from it, fed message by message: what <c>decode</c> prints per line
/// and <c>detect</c> per meter found. The same <see cref="Meter"/>, <see cref="MeterItems"/> and <see cref="ItemTable"/>
/// as the bridge, so both commands show exactly what <c>run</c> would publish.
/// </summary>
internal sealed class MeterReadout(MeterLimits limits, IPayloadDecoder decoder)
{
    private readonly Meter _meter = new(limits, decoder);
    private readonly MeterItems _items = new();

    public ItemTable Table { get; } = new();

    /// <summary>Whether any message was accepted: before that the meter has no paths.</summary>
    public bool HasData => _meter.HasData;

    public Verdict Apply(string topic, ReadOnlySpan<byte> payload)
    {
        var verdict = _meter.Apply(topic, payload);
        if (_meter.HasData) _items.Update(Table, _meter.State, Staleness.Fresh);
        return verdict;
    }

    /// <summary>The value the GX would read at this measurement; NaN when the path is absent or invalid.</summary>
    public double Shown(Location location, Quantity quantity)
    {
        int row = MeterPaths.Measurement(location, quantity);
        return Table.IsPresent(row) && Table[row].Type == BusType.Double ? Table[row].Number : double.NaN;
    }

    /// <summary>Every present path and its value, as JSON members (invalid: null).</summary>
    public void WritePaths(Utf8JsonWriter json)
    {
        for (int row = 0; row < Table.Count; row++)
        {
            if (!Table.IsPresent(row)) continue;
            string path = Table.Defs[row].Path;
            BusValue value = Table[row];
            switch (value.Type)
            {
                case BusType.Double: json.WriteNumber(path, value.Number); break;
                case BusType.Int32: json.WriteNumber(path, value.AsInt32); break;
                case BusType.String: json.WriteString(path, value.AsString); break;
                default: json.WriteNull(path); break;
            }
        }
    }
}
