namespace MeterBridge.Sources;

/// <summary>
/// A compiled source: the rules in precedence order, the distinct topic filters to subscribe to, and per quantity key
/// the rule texts and where they came from (a preset or a config line), for <c>check</c>.
/// </summary>
public sealed record MappedSource(
    string Format,
    IReadOnlyList<MappingRule> Rules,
    IReadOnlyList<string> TopicFilters,
    IReadOnlyList<(string Key, IReadOnlyList<string> Rules, string Origin)> Shown)
{
    /// <summary>The decoder keeps a bit per rule.</summary>
    public const int MaxRules = 64;
}
