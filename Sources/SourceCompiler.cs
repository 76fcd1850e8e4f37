using MeterBridge.Core;

namespace MeterBridge.Sources;

/// <summary>One key of the <c>[MAPPING]</c> section: the quantity key, its value (continuation lines joined with '\n'),
/// where it was written for <c>check</c> (<c>config.ini:12</c>) and its line, to list problems in file order.</summary>
internal sealed record MappingEntry(string Key, string Value, string Source, int Line = 0);

/// <summary>
/// A problem with a source, as data: the caller knows where each value was written and words it (file:line, flag or
/// default). <paramref name="Entry"/> is the [MAPPING] entry it is about; when null, the setting <paramref name="Key"/>
/// (<c>format</c> or <c>topic</c>) is. <paramref name="Phrase"/> follows the quoted <paramref name="Value"/>.
/// </summary>
internal sealed record SourceProblem(string Key, string Value, string Phrase, MappingEntry? Entry = null);

/// <summary>
/// A compiled source: the rules in precedence order, the distinct topic filters to subscribe to, and per quantity key
/// the rule texts and where they came from (a preset or a config line), for <c>check</c>.
/// </summary>
internal sealed record MappedSource(
    string Format,
    IReadOnlyList<MappingRule> Rules,
    IReadOnlyList<string> TopicFilters,
    IReadOnlyList<(string Key, IReadOnlyList<string> Rules, string Origin)> Shown)
{
    /// <summary>The decoder keeps a bit per rule.</summary>
    public const int MaxRules = 64;
}

/// <summary>
/// Turns <c>format</c>, <c>topic</c>, <c>channel</c> and the <c>[MAPPING]</c> section into a <see cref="MappedSource"/>, once at
/// start: a preset's rules, each quantity key of <c>[MAPPING]</c> replacing that key's preset rules (an empty value removes
/// them). Every problem names what it is about, the value and what is wrong, in the order they are to be listed.
/// </summary>
internal static class SourceCompiler
{
    public const string FormatKey = "format";
    public const string TopicKey = "topic";

    /// <summary>Null for the seed format (docs/payloads.md on <c>topic</c>); else the source, possibly with problems added.</summary>
    public static MappedSource? Compile(string format, string topic, int channel, IReadOnlyList<MappingEntry> mapping,
        List<SourceProblem> problems)
    {
        if (format == Presets.SeedFormat)
        {
            foreach (MappingEntry entry in mapping)
                problems.Add(new(entry.Key, entry.Value, $"is a [MAPPING] rule, but format = {Presets.SeedFormat} reads no mapping: set format = {Presets.Custom} or a preset", entry));
            return null;
        }

        var found = new List<(int Line, SourceProblem Problem)>(); // listed in file order at the end
        // Key -> (rule lines, origin), in order: the preset's, then [MAPPING]'s new keys.
        var keys = new List<KeyRules>();
        if (Presets.Rows(format, channel) is { } preset)
            foreach (var (key, rules) in preset)
                keys.Add(new(key, rules, "preset " + format, null));

        foreach (MappingEntry entry in mapping)
        {
            if (!QuantityKeys.TryParseMappingKey(entry.Key, out _, out _))
            {
                found.Add((entry.Line, new(entry.Key, entry.Value, $"is not a rule for a known quantity: {entry.Key} is not one of {QuantityKeys.List()} (each also with _L1, _L2, _L3)", entry)));
                continue;
            }
            int at = keys.FindIndex(k => k.Key == entry.Key);
            var row = new KeyRules(entry.Key, entry.Value, entry.Source, entry);
            if (at >= 0) keys[at] = row;
            else keys.Add(row);
        }

        var compiled = new List<MappingRule>();
        var shown = new List<(string, IReadOnlyList<string>, string)>();
        foreach (KeyRules row in keys)
        {
            var (key, rules, origin, entry) = (row.Key, row.Rules, row.Origin, row.Entry);
            QuantityKeys.TryParseMappingKey(key, out Location location, out Quantity quantity);
            var texts = new List<string>();
            string[] lines = rules.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (string line in lines)
            {
                MappingRule? rule = RuleText.Parse(line, location, quantity, topic, channel, out string? problem);
                if (rule is null)
                {
                    found.Add(entry is not null
                        ? (entry.Line, new(entry.Key, rules, lines.Length > 1 ? $"in its line \"{line}\" {problem}" : problem!, entry))
                        : (0, new(TopicKey, topic, $"does not fit the preset's rule {QuantityKeys.MappingKey(location, quantity)} = \"{line}\": it {problem}")));
                    continue;
                }
                compiled.Add(rule);
                texts.Add(rule.Text);
            }
            if (texts.Count > 0) shown.Add((QuantityKeys.MappingKey(location, quantity), texts, origin));
        }

        // In file order: a stable insertion sort of a short list (LINQ's OrderBy over a tuple, a value type, cost the binary 10 KB).
        for (int i = 1; i < found.Count; i++)
            for (int j = i; j > 0 && found[j - 1].Line > found[j].Line; j--)
                (found[j - 1], found[j]) = (found[j], found[j - 1]);
        foreach (var (_, problem) in found) problems.Add(problem);
        if (compiled.Count == 0 && found.Count == 0)
            problems.Add(new(FormatKey, format, "has no rules: write [MAPPING] rules such as power = TOPIC /POINTER, or use a preset"));
        if (compiled.Count > MappedSource.MaxRules)
            problems.Add(new(FormatKey, format, $"with [MAPPING] gives {compiled.Count} rules; at most {MappedSource.MaxRules} are supported"));

        var filters = compiled.Select(r => r.Topic).Distinct(StringComparer.Ordinal).ToList();
        return new MappedSource(format, compiled, filters, shown);
    }

    /// <summary>A key's rule lines and where they come from (a class: a list of a 4-tuple is a fresh copy of List's code).</summary>
    private sealed class KeyRules(string key, string rules, string origin, MappingEntry? entry)
    {
        public string Key { get; } = key;
        public string Rules { get; } = rules;
        public string Origin { get; } = origin;
        public MappingEntry? Entry { get; } = entry;
    }
}
