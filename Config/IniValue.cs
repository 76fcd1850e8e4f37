namespace MeterBridge.Config;

/// <summary>A key looked up in a section: its entry and its value after <c>%</c> interpolation,
/// or the reason the interpolation failed (then <see cref="Value"/> is the raw text).</summary>
public sealed record IniValue(IniEntry Entry, string Value, string? InterpolationError);
