using MeterBridge.Sources;

namespace MeterBridge.Detect;

/// <summary>
/// Bare numbers, one per topic, whose topic names a power or an energy: Home Assistant's statestream
/// (<c>homeassistant/sensor/grid_power/state</c>), ESPHome (<c>node/sensor/power_l1/state</c>), openHAB
/// (<c>openhab/out/Grid_Power/state</c>). The name is the last level, or the one before a last <c>state</c> or
/// <c>value</c>. Topics that differ only in that name and whose names share the same other words
/// (<c>grid_power</c>, <c>grid_energy_import</c>) are one meter: a <c>custom</c> mapping with a rule per quantity.
/// </summary>
internal sealed class NumberTopics
{
    // Stem -> the rules found for it, in the order first seen.
    private readonly Dictionary<string, List<(string Key, string Topic, string Factor)>> _groups = new(StringComparer.Ordinal);

    public void Add(string topic, byte[] payload)
    {
        if (topic.Contains(' ') || BareValue.Read(payload.AsSpan().Trim(" \t\r\n"u8), out _) != ValueKind.Number) return;
        string[] levels = topic.Split('/');
        int at = levels.Length - 1;
        if (levels[at] is "state" or "value" && at > 0) at--;
        if (IsShellyGen1RelayEnergy(levels, at) || NameWords.Read(levels[at]) is not { } meaning) return;
        string stem = string.Join('/', levels[..at]) + "/*" + meaning.Stem + "*/" + string.Join('/', levels[(at + 1)..]);
        if (!_groups.TryGetValue(stem, out var rules)) _groups[stem] = rules = [];
        if (!rules.Any(r => r.Key == meaning.Key)) rules.Add((meaning.Key, topic, JsonPayloads.Factor(meaning.Factor)));
    }

    /// <summary>A Shelly Gen1 relay's <c>energy</c> counts watt-minutes, not kWh: not offered.</summary>
    private static bool IsShellyGen1RelayEnergy(string[] levels, int at) =>
        at >= 2 && levels[at - 2] == "relay" && levels[at] == "energy";

    /// <summary>
    /// One custom meter per group. Its <c>topic</c> is the levels its topics share, and the rules start with
    /// <c>{topic}</c>; a single topic is <c>{topic}</c> itself.
    /// </summary>
    public IEnumerable<Candidate> Candidates()
    {
        foreach (var rules in _groups.Values)
        {
            string prefix = CommonLevels(rules.Select(r => r.Topic).ToList());
            var mapping = Candidate.Ordered(rules.Select(r => (r.Key, (prefix.Length == 0 ? r.Topic : "{topic}" + r.Topic[prefix.Length..]) + r.Factor)));
            yield return new Candidate(Presets.Custom, prefix.Length == 0 ? rules[0].Topic : prefix, 0,
                "numbers on topics whose names say power or energy", mapping);
        }
    }

    /// <summary>The whole levels every topic starts with (the topic itself when there is one).</summary>
    private static string CommonLevels(List<string> topics)
    {
        if (topics.Count == 1) return topics[0];
        string[] first = topics[0].Split('/');
        int shared = first.Length;
        foreach (string topic in topics.Skip(1))
        {
            string[] levels = topic.Split('/');
            int i = 0;
            while (i < shared && i < levels.Length && levels[i] == first[i]) i++;
            shared = i;
        }
        return string.Join('/', first[..shared]);
    }
}
