namespace MeterBridge.Detect;

/// <summary>
/// A meter that some messages suggest: the config lines that would read it (<c>format</c>, <c>topic</c>, <c>channel</c>,
/// the <c>[MAPPING]</c> rules for <c>custom</c>) and what kind of device it looks like. Only a guess until
/// <see cref="Detector"/> has read a power or an energy with it.
/// </summary>
internal sealed record Candidate(string Format, string Topic, int Channel, string Kind, IReadOnlyList<(string Key, string Rule)> Mapping)
{
    public Candidate(string format, string topic, int channel, string kind) : this(format, topic, channel, kind, []) { }

    /// <summary>Rules in the order sources.md lists quantity keys: power first, then by quantity, the total before the phases.</summary>
    public static List<(string Key, string Rule)> Ordered(IEnumerable<(string Key, string Rule)> mapping) =>
    [
        .. mapping.OrderBy(m => Core.QuantityKeys.TryParseMappingKey(m.Key, out var location, out var quantity) ? (int)quantity * 4 + (int)location : int.MaxValue),
    ];

    /// <summary>Two guesses with the same key are one meter.</summary>
    public string Key => $"{Format}\n{Topic}\n{Channel}\n{string.Join("\n", Mapping.Select(m => m.Key + "=" + m.Rule))}";
}
