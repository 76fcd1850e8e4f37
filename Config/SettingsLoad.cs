namespace MeterBridge.Config;

/// <summary>What loading the settings gave: the settings, every problem (each one line; any problem means exit 2),
/// warnings, where each value came from, and the config file that was read (null if none).</summary>
public sealed record SettingsLoad(
    Settings Settings,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, ValueOrigin> Origins,
    string? ConfigFile)
{
    public bool Ok => Problems.Count == 0;
}
