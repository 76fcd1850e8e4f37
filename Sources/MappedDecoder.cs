using System.Numerics;
using MeterBridge.Core;

namespace MeterBridge.Sources;

/// <summary>
/// Reads one message of a mapped source into a <see cref="Reading"/> (docs/sources.md): the rules whose
/// topic filter matches, their values (one pass over the JSON for all pointers), times their factors; of several rules
/// for one quantity the first in written order wins; one bad value rejects the message. Allocation-free.
/// </summary>
internal sealed class MappedDecoder : IPayloadDecoder
{
    private readonly MappingRule[] _rules;
    private readonly string[] _filters;
    private readonly ulong[] _rulesOfFilter;
    private readonly ulong _pointed; // rules with a pointer; the others read the bare payload

    /// <summary>The decoder for the settings' source: the seed format's when there is none (<c>format = dbus-mqtt-grid</c>).</summary>
    public static IPayloadDecoder For(MappedSource? source) => source is null ? PayloadDecoder.Instance : new MappedDecoder(source);

    public MappedDecoder(MappedSource source)
    {
        _rules = [.. source.Rules.Take(MappedSource.MaxRules)];
        _filters = [.. source.TopicFilters];
        _rulesOfFilter = new ulong[_filters.Length];
        for (int i = 0; i < _rules.Length; i++)
        {
            _rulesOfFilter[Array.IndexOf(_filters, _rules[i].Topic)] |= 1UL << i;
            if (_rules[i].Pointer is not null) _pointed |= 1UL << i;
        }
    }

    public bool Mapped => true;

    public Verdict Decode(string topic, ReadOnlySpan<byte> payload, ref Reading reading)
    {
        reading = Reading.Empty();
        ulong matched = 0;
        for (int f = 0; f < _filters.Length; f++)
            if (TopicFilter.Matches(_filters[f], topic)) matched |= _rulesOfFilter[f];
        if (matched == 0) return new(RejectReason.NoMappedValue);

        Span<double> values = stackalloc double[MappedSource.MaxRules];
        values.Fill(double.NaN);
        if ((matched & _pointed) != 0)
        {
            var verdict = PointerWalk.Read(payload, _rules, matched & _pointed, values);
            if (!verdict.IsAccepted) return verdict;
        }
        if ((matched & ~_pointed) != 0)
        {
            var kind = BareValue.Read(payload, out double value);
            for (ulong bits = matched & ~_pointed; bits != 0; bits &= bits - 1)
            {
                var rule = _rules[BitOperations.TrailingZeroCount(bits)];
                if (kind == ValueKind.Bad) return new(RejectReason.NotANumber, rule.Location, rule.Quantity);
                values[BitOperations.TrailingZeroCount(bits)] = value;
            }
        }

        for (ulong bits = matched; bits != 0; bits &= bits - 1)
        {
            int i = BitOperations.TrailingZeroCount(bits);
            var rule = _rules[i];
            double scaled = values[i] * rule.Factor;
            if (double.IsNaN(values[i]) || !double.IsNaN(reading[rule.Location, rule.Quantity])) continue; // the first rule wins
            if (!double.IsFinite(scaled)) return new(RejectReason.NotANumber, rule.Location, rule.Quantity);
            reading[rule.Location, rule.Quantity] = scaled;
        }
        return reading.CarriesAnything() ? Verdict.Accepted : new(RejectReason.NoMappedValue);
    }
}
