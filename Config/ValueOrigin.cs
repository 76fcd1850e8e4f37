namespace MeterBridge.Config;

/// <summary>Where an effective value came from: <see cref="Source"/> for <c>meterbridge check</c>
/// (<c>default</c>, <c>--timeout</c>, <c>config.ini:12</c>) and <see cref="Where"/>, the start of a message about it
/// (<c>config.ini:12: timeout =</c> or <c>--timeout</c>), followed by the quoted value and the problem.</summary>
public sealed record ValueOrigin(string Source, string Where)
{
    public static ValueOrigin Default(string key) => new("default", key + " =");

    public static ValueOrigin Flag(ConfigKey key) => new(key.Flag, key.Flag);

    public static ValueOrigin File(string fileName, int line, string key) => new($"{fileName}:{line}", $"{fileName}:{line}: {key} =");

    public string Message(string value, string problem) => $"{Where} {ValueText.Quote(value)} {problem}";
}
