using MeterBridge.Sources;

namespace MeterBridge.Detect;

/// <summary>
/// Bare numbers, one per topic, whose topic names what they measure: Home Assistant's statestream
/// (<c>homeassistant/sensor/grid_power/state</c>), ESPHome (<c>node/sensor/power_l1/state</c>), openHAB
/// (<c>openhab/out/Grid_Power/state</c>). The name is the last level, or the one before a last <c>state</c> or
/// <c>value</c>; the other levels are its place. In one place, names that share their other words (<c>grid_power</c>,
/// <c>grid_energy_import</c>, <c>grid_voltage</c>) are one meter: a <c>custom</c> mapping with a rule per quantity.
/// A place that is one device (an ESPHome node) is one meter as long as no quantity comes twice (<c>grid_power</c>,
/// <c>mains_voltage</c>, <c>total_energy</c>); a place that many devices share (Home Assistant's and openHAB's, a
/// statestream with attribute topics) is only split by those words. A group without a power or an energy is no meter.
/// </summary>
internal sealed class NumberTopics
{
    private static readonly string[] Attributes = ["friendly_name", "unit_of_measurement", "device_class", "state_class", "icon"];

    private sealed class Rule(string key, string topic, string factor)
    {
        public string Key { get; } = key;
        public string Topic { get; } = topic;
        public string Factor { get; } = factor;
    }

    private sealed class Group(string stem)
    {
        public string Stem { get; } = stem;
        public List<Rule> Rules { get; } = [];
        public bool Has(string key) => Rules.Exists(r => r.Key == key);
    }

    // Place ("prefix\nsuffix") -> its groups by stem, in the order first seen.
    private readonly Dictionary<string, List<Group>> _places = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sharedPrefixes = new(StringComparer.Ordinal);

    /// <summary>Reads one topic's payload; false when it is no number (then an older payload of the topic may be).</summary>
    public bool Add(string topic, byte[] payload)
    {
        string[] levels = topic.Split('/');
        if (levels.Length >= 3 && Attributes.Contains(levels[^1])) _sharedPrefixes.Add(string.Join('/', levels[..^2]));
        if (topic.Contains(' ') || BareValue.Read(payload.AsSpan().Trim(" \t\r\n"u8), out _) != ValueKind.Number) return false;
        int at = levels.Length - 1;
        if (levels[at] is "state" or "value" && at > 0) at--;
        if (IsShellyGen1RelayEnergy(levels, at) || NameWords.Read(levels[at]) is not { } meaning) return true;
        string place = string.Join('/', levels[..at]) + "\n" + string.Join('/', levels[(at + 1)..]);
        if (!_places.TryGetValue(place, out var groups)) _places[place] = groups = [];
        Group? group = groups.Find(g => g.Stem == meaning.Stem);
        if (group is null) groups.Add(group = new Group(meaning.Stem));
        if (!group.Has(meaning.Key)) group.Rules.Add(new Rule(meaning.Key, topic, JsonPayloads.Factor(meaning.Factor)));
        return true;
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
        foreach (var (place, groups) in _places)
        {
            string prefix = place[..place.IndexOf('\n')];
            foreach (Group group in Shared(prefix) ? groups : OneDevice(groups))
            {
                if (!group.Rules.Exists(r => NameWords.IsMeterKey(r.Key))) continue;
                var rules = group.Rules;
                string common = CommonLevels([.. rules.Select(r => r.Topic)]);
                var pairs = new List<(string Key, string Rule)>(rules.Count);
                foreach (Rule r in rules) pairs.Add((r.Key, (common.Length == 0 ? r.Topic : "{topic}" + r.Topic[common.Length..]) + r.Factor));
                var mapping = Candidate.Ordered(pairs);
                yield return new Candidate(Presets.Custom, common.Length == 0 ? rules[0].Topic : common, 0,
                    "numbers on topics whose names say what they measure", mapping);
            }
        }
    }

    private bool Shared(string prefix)
    {
        string first = prefix.Split('/')[0];
        return first is "homeassistant" or "openhab" || _sharedPrefixes.Contains(prefix);
    }

    /// <summary>The groups of one device's place merged while no quantity comes twice: one meter with every quantity found.</summary>
    private static List<Group> OneDevice(List<Group> groups)
    {
        var merged = new List<Group>();
        foreach (Group group in groups)
        {
            Group? into = merged.Find(m => !group.Rules.Exists(r => m.Has(r.Key)));
            if (into is null) merged.Add(into = new Group(group.Stem));
            into.Rules.AddRange(group.Rules);
        }
        return merged;
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
