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
    /// A stable insertion sort of a few rules: LINQ's OrderBy over the (key, rule) tuples cost the binary more.
    public static List<(string Key, string Rule)> Ordered(IEnumerable<(string Key, string Rule)> mapping)
    {
        var ordered = new List<(string Key, string Rule)>(mapping);
        for (int i = 1; i < ordered.Count; i++)
            for (int j = i; j > 0 && Rank(ordered[j - 1].Key) > Rank(ordered[j].Key); j--)
                (ordered[j - 1], ordered[j]) = (ordered[j], ordered[j - 1]);
        return ordered;
    }

    private static int Rank(string key) =>
        Core.QuantityKeys.TryParseMappingKey(key, out var location, out var quantity) ? (int)quantity * 4 + (int)location : int.MaxValue;

    /// <summary>Two guesses with the same key are one meter.</summary>
    public string Key
    {
        get
        {
            var key = new System.Text.StringBuilder().Append(Format).Append('\n').Append(Topic).Append('\n').Append(Channel).Append('\n');
            for (int i = 0; i < Mapping.Count; i++)
                (i > 0 ? key.Append('\n') : key).Append(Mapping[i].Key).Append('=').Append(Mapping[i].Rule);
            return key.ToString();
        }
    }
}
