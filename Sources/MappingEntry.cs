using MeterBridge.Config;

namespace MeterBridge.Sources;

/// <summary>One key of the <c>[MAPPING]</c> section: the quantity key, its value (continuation lines joined with '\n')
/// and where it was written, for messages (<paramref name="Line"/>: its line, to list problems in file order).</summary>
public sealed record MappingEntry(string Key, string Value, ValueOrigin Origin, int Line = 0);
