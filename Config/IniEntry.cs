namespace MeterBridge.Config;

/// <summary>One <c>key = value</c> of an ini file: the key lower-cased, the raw value (continuation lines joined
/// with '\n', not yet interpolated) and the line the key was on, for messages.</summary>
public sealed record IniEntry(string Section, string Key, string RawValue, int Line);
