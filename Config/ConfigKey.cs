namespace MeterBridge.Config;

/// <summary>
/// One config.ini key and its <c>--flag</c>: where it is read, how its text becomes a setting (or what is wrong
/// with it), and how the effective setting is shown by <c>meterbridge check</c>.
/// </summary>
/// <param name="Name">The key as written in config.ini (snake case).</param>
/// <param name="ValueName">What the value is, for help: SECONDS, 0|1, ...</param>
/// <param name="Apply">Returns the settings with this key's value set, or null and the problem
/// (a phrase that follows the quoted value: <c>is not a number of seconds</c>).</param>
internal sealed record ConfigKey(
    string Name,
    KeyHome Home,
    string ValueName,
    string Description,
    Func<Settings, string, KeyResult> Apply,
    Func<Settings, string> Show)
{
    /// <summary>The flag: the key in kebab case.</summary>
    public string Flag => "--" + Name.Replace('_', '-');

    /// <summary>The password: its value is never shown, in <c>check</c> or in any message.</summary>
    public bool IsSecret => Name == ConfigKeys.Password;
}

/// <summary>Where a config.ini key is read, as the Python driver reads it.</summary>
internal enum KeyHome : byte
{
    /// <summary>Read from <c>config["DEFAULT"]</c>: only the [DEFAULT] section counts.</summary>
    Default,
    /// <summary>Read from <c>config["MQTT"]</c>: [MQTT], or [DEFAULT] seen through it.</summary>
    Mqtt,
}

/// <summary>What applying one value gave: new settings, or the problem.</summary>
internal readonly record struct KeyResult(Settings? Settings, string? Problem)
{
    public static KeyResult Ok(Settings settings) => new(settings, null);

    public static KeyResult Bad(string problem) => new(null, problem);
}
