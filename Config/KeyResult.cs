namespace MeterBridge.Config;

/// <summary>What applying one value gave: new settings, or the problem.</summary>
public readonly record struct KeyResult(Settings? Settings, string? Problem)
{
    public static KeyResult Ok(Settings settings) => new(settings, null);

    public static KeyResult Bad(string problem) => new(null, problem);
}
