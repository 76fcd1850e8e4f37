namespace MeterBridge.Config;

/// <summary>Everything the settings come from besides the config file's content: the flags (as typed, keyed by
/// config key name), the file flags, the environment and where the binary lives.</summary>
public sealed record SettingsInput
{
    /// <summary>Flag values by config key name (<c>timeout</c> for <c>--timeout</c>), still text: they are checked
    /// by the same code as file values.</summary>
    public IReadOnlyDictionary<string, string> Flags { get; init; } = new Dictionary<string, string>();
    /// <summary><c>--config FILE</c>; null: <c>config.ini</c> in <see cref="BinaryDirectory"/> when it exists.</summary>
    public string? ConfigPath { get; init; }
    /// <summary><c>--password-file FILE</c>: the password is its first line.</summary>
    public string? PasswordFile { get; init; }
    /// <summary>The value of the environment variable <c>MQTT_PASSWORD</c>, if set.</summary>
    public string? EnvironmentPassword { get; init; }
    public string? BinaryDirectory { get; init; }
}
