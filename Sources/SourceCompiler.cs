using MeterBridge.Config;
using MeterBridge.Core;

namespace MeterBridge.Sources;

/// <summary>
/// Turns <c>format</c>, <c>topic</c>, <c>channel</c> and the <c>[MAPPING]</c> section into a <see cref="MappedSource"/>, once at
/// start: a preset's rules, each quantity key of <c>[MAPPING]</c> replacing that key's preset rules (an empty value removes
/// them). Every problem is one line naming where it was written, the key and the value.
/// </summary>
public static class SourceCompiler
{
    /// <summary>Null for the seed format (docs/payloads.md on <c>topic</c>); else the source, possibly with problems added.</summary>
    public static MappedSource? Compile(string format, string topic, int channel, IReadOnlyList<MappingEntry> mapping,
        ValueOrigin formatOrigin, ValueOrigin topicOrigin, List<string> problems)
    {
        if (format == Presets.SeedFormat)
        {
            foreach (MappingEntry entry in mapping)
                problems.Add(entry.Origin.Message(entry.Value, $"is a [MAPPING] rule, but format = {Presets.SeedFormat} reads no mapping: set format = custom or a preset"));
            return null;
        }

        var found = new List<(int Line, string Problem)>(); // listed in file order at the end
        // Key -> (rule lines, origin), in order: the preset's, then [MAPPING]'s new keys.
        var keys = new List<(string Key, string Rules, string Origin, MappingEntry? Entry)>();
        if (Presets.All.TryGetValue(format, out var preset))
            foreach (var (key, rules) in preset)
                keys.Add((key, rules, "preset " + format, null));

        foreach (MappingEntry entry in mapping)
        {
            if (!QuantityKeys.TryParse(entry.Key, out _, out _))
            {
                found.Add((entry.Line, entry.Origin.Message(entry.Value, $"is not a rule for a known quantity: {entry.Key} is not one of power, voltage, current, frequency, power_factor, energy_forward, energy_reverse (each also with _L1, _L2, _L3)")));
                continue;
            }
            int at = keys.FindIndex(k => k.Key == entry.Key);
            var row = (entry.Key, entry.Value, entry.Origin.Source, (MappingEntry?)entry);
            if (at >= 0) keys[at] = row;
            else keys.Add(row);
        }

        var compiled = new List<MappingRule>();
        var shown = new List<(string, IReadOnlyList<string>, string)>();
        foreach (var (key, rules, origin, entry) in keys)
        {
            QuantityKeys.TryParse(key, out Location location, out Quantity quantity);
            var texts = new List<string>();
            string[] lines = rules.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (string line in lines)
            {
                MappingRule? rule = RuleText.Parse(line, location, quantity, topic, channel, out string? problem);
                if (rule is null)
                {
                    found.Add(entry is not null
                        ? (entry.Line, entry.Origin.Message(rules, lines.Length > 1 ? $"in its line \"{line}\" {problem}" : problem!))
                        : (0, topicOrigin.Message(topic, $"does not fit the preset's rule {QuantityKeys.Of(location, quantity)} = \"{line}\": it {problem}")));
                    continue;
                }
                compiled.Add(rule);
                texts.Add(rule.Text);
            }
            if (texts.Count > 0) shown.Add((QuantityKeys.Of(location, quantity), texts, origin));
        }

        problems.AddRange(found.OrderBy(f => f.Line).Select(f => f.Problem));
        if (compiled.Count == 0 && found.Count == 0)
            problems.Add(formatOrigin.Message(format, "has no rules: write [MAPPING] rules such as power = TOPIC /POINTER, or use a preset"));
        if (compiled.Count > MappedSource.MaxRules)
            problems.Add(formatOrigin.Message(format, $"with [MAPPING] gives {compiled.Count} rules; at most {MappedSource.MaxRules} are supported"));

        var filters = compiled.Select(r => r.Topic).Distinct(StringComparer.Ordinal).ToList();
        return new MappedSource(format, compiled, filters, shown);
    }
}
