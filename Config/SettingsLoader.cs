using MeterBridge.Config.Ini;

namespace MeterBridge.Config;

/// <summary>
/// Builds the effective <see cref="Settings"/>: a flag wins over the config file, which wins over the default.
/// The password has more sources: <c>--password</c>, then <c>--password-file</c>, then <c>MQTT_PASSWORD</c>, then
/// the file's <c>password</c>. Every problem is collected, not just the first, so <c>check</c> can name them all.
/// Only values that are used are checked: a key given as a flag (or a password given another way) is not read from
/// the file, so a flag can stand in for a bad line; the line itself must still be well-formed ini.
/// </summary>
internal static class SettingsLoader
{
    public const string ConfigFileName = "config.ini";
    public const string PasswordVariable = "MQTT_PASSWORD";
    public const string MqttSection = "MQTT";
    public const string DefaultEnergyFile = "energy.json";

    public static SettingsLoad Load(SettingsInput input)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        IniFile? file = ReadConfigFile(input, problems);

        var settings = new Settings();
        var origins = new Dictionary<string, ValueOrigin>();
        foreach (ConfigKey key in ConfigKeys.All)
            origins[key.Name] = ValueOrigin.Default(key.Name);

        if (file is not null)
        {
            foreach (IniError error in file.Errors) problems.Add(ValueText.Message(file.FileName, error)); // not LINQ: 20 KB of binary
            settings = ApplyFile(file, input, settings, origins, problems);
            warnings.AddRange(UnusedKeys.Find(file));
        }
        settings = ApplyFlags(input.Flags, settings, origins, problems);
        settings = ApplyPasswordSources(input, settings, origins, problems);
        settings = MappingSection.Apply(file, settings, origins, problems);
        settings = WithEnergyFile(settings, file?.FileName);

        SettingsChecks.Run(settings, origins, problems, warnings);
        return new SettingsLoad(settings, problems, warnings, origins, file?.FileName);
    }

    /// <summary>
    /// The counters file beside the config file: a meter's folder (<c>meter-N/</c>, for the GX app and the SSH route
    /// alike) holds one meter, so an SSH meter imported by the app keeps its counters. Two meters configured from one
    /// folder would share it: the file says whose it is (EnergyCountersFile). A relative energy_file is relative to the
    /// config file's folder too.
    /// </summary>
    private static Settings WithEnergyFile(Settings settings, string? configFile)
    {
        if (configFile is null || settings.EnergyFile is { Length: 0 }) return settings;
        string folder = Path.GetDirectoryName(Path.GetFullPath(configFile)) ?? ".";
        string file = settings.EnergyFile ?? DefaultEnergyFile;
        return settings with { EnergyFile = Path.GetFullPath(Path.Combine(folder, file)) };
    }

    private static IniFile? ReadConfigFile(SettingsInput input, List<string> problems)
    {
        string? path = input.ConfigPath;
        if (path is null)
        {
            if (input.BinaryDirectory is null)
                return null;
            path = Path.Combine(input.BinaryDirectory, ConfigFileName);
            if (!File.Exists(path))
                return null; // no config.ini beside the binary: flags and defaults only
        }
        if (ConfigFileText.TryRead(path, out string text) is { } problem)
        {
            problems.Add(problem);
            return null;
        }
        return IniFile.Parse(text, path);
    }

    private static Settings ApplyFile(IniFile file, SettingsInput input, Settings settings, Dictionary<string, ValueOrigin> origins, List<string> problems)
    {
        var found = new List<(int Line, string Problem)>();
        foreach (ConfigKey key in ConfigKeys.All)
        {
            if (GivenElsewhere(key, input))
                continue;
            IniValue? value = file.Get(key.Home == KeyHome.Default ? IniFile.DefaultSectionName : MqttSection, key.Name);
            if (value is null)
                continue;
            var origin = ValueOrigin.File(file.FileName, value.Entry.Line, key.Name);
            if (value.InterpolationError is { } bad)
            {
                found.Add((value.Entry.Line, key.IsSecret
                    ? origin.Message(PasswordText.Mask, "has a '%' that is not %% or %(key)s of a key that is set (write %% for a literal %)")
                    : $"{origin.Where} {ValueText.Quote(value.Entry.RawValue)}: {bad}"));
                continue;
            }
            string shown = key.IsSecret ? PasswordText.Mask : value.Value;
            if (value.Value.Contains('\n'))
            {
                // No key takes several lines; this is nearly always a key line indented by mistake.
                found.Add((value.Entry.Line, origin.Message(shown, "goes on over several lines (an indented line continues the value above it)")));
                continue;
            }
            KeyResult result = key.Apply(settings, value.Value);
            if (result.Settings is null)
            {
                found.Add((value.Entry.Line, origin.Message(shown, result.Problem!)));
                continue;
            }
            settings = result.Settings;
            origins[key.Name] = origin;
        }
        // In file order: a stable insertion sort of a short list (LINQ's OrderBy over a tuple, a value type, cost the binary 8 KB).
        for (int i = 1; i < found.Count; i++)
            for (int j = i; j > 0 && found[j - 1].Line > found[j].Line; j--)
                (found[j - 1], found[j]) = (found[j], found[j - 1]);
        foreach (var (_, problem) in found) problems.Add(problem);
        return settings;
    }

    /// <summary>A flag gives this key, or (for the password) --password-file or MQTT_PASSWORD: the file's value is not used.</summary>
    private static bool GivenElsewhere(ConfigKey key, SettingsInput input) =>
        input.Flags.ContainsKey(key.Name)
        || (key.IsSecret && (input.PasswordFile is not null || !string.IsNullOrEmpty(input.EnvironmentPassword)));

    private static Settings ApplyFlags(IReadOnlyDictionary<string, string> flags, Settings settings, Dictionary<string, ValueOrigin> origins, List<string> problems)
    {
        foreach (ConfigKey key in ConfigKeys.All)
        {
            if (!flags.TryGetValue(key.Name, out string? text))
                continue;
            var origin = ValueOrigin.Flag(key);
            KeyResult result = key.Apply(settings, text);
            if (result.Settings is null)
            {
                problems.Add(origin.Message(text, result.Problem!));
                continue;
            }
            settings = result.Settings;
            origins[key.Name] = origin;
        }
        return settings;
    }

    private static Settings ApplyPasswordSources(SettingsInput input, Settings settings, Dictionary<string, ValueOrigin> origins, List<string> problems)
    {
        if (input.Flags.ContainsKey(ConfigKeys.Password))
            return settings;
        if (input.PasswordFile is { } path)
        {
            if (TextFile.TryRead(path, out string text) is { } why)
            {
                problems.Add($"--password-file {ValueText.Quote(path)} {why}");
                return settings;
            }
            string firstLine = text.ReplaceLineEndings("\n").Split('\n')[0];
            if (firstLine.Length == 0)
            {
                problems.Add($"--password-file {ValueText.Quote(path)} has an empty first line: the password is the first line");
                return settings;
            }
            origins[ConfigKeys.Password] = new ValueOrigin("--password-file " + path, "--password-file " + ValueText.Quote(path) + ":");
            return settings with { Password = firstLine };
        }
        if (!string.IsNullOrEmpty(input.EnvironmentPassword))
        {
            origins[ConfigKeys.Password] = new ValueOrigin(PasswordVariable, PasswordVariable + " =");
            return settings with { Password = input.EnvironmentPassword };
        }
        return settings;
    }
}

/// <summary>Everything the settings come from besides the config file's content: the flags (as typed, keyed by
/// config key name), the file flags, the environment and where the binary lives.</summary>
internal sealed record SettingsInput
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

/// <summary>What loading the settings gave: the settings, every problem (each one line; any problem means exit 2),
/// warnings, where each value came from, and the config file that was read (null if none).</summary>
internal sealed record SettingsLoad(
    Settings Settings,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, ValueOrigin> Origins,
    string? ConfigFile)
{
    public bool Ok => Problems.Count == 0;
}
