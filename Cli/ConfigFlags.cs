using System.CommandLine;
using MeterBridge.Config;

namespace MeterBridge.Cli;

/// <summary>
/// One <c>--flag</c> per config key (the key in kebab case) plus <c>--config</c> and <c>--password-file</c>.
/// All take their value as text and are checked by the same code as config file values, so messages are uniform.
/// They are recursive: every command accepts them.
/// </summary>
internal sealed class ConfigFlags
{
    private readonly List<(ConfigKey Key, Option<string> Option)> _keys = [];
    private readonly List<Option> _all = [];

    public ConfigFlags()
    {
        foreach (ConfigKey key in ConfigKeys.All)
            _keys.Add((key, NewOption(key.Flag, key.ValueName, key.Description)));
        Config = NewOption("--config", "FILE", $"Config file to read (default: {SettingsLoader.ConfigFileName} beside the binary, if there is one).");
        PasswordFile = NewOption("--password-file", "FILE", $"Read the broker password from the first line of FILE (before {SettingsLoader.PasswordVariable} and the config file).");
        foreach (var (_, option) in _keys) _all.Add(option);
        _all.Add(Config);
        _all.Add(PasswordFile);
    }

    public Option<string> Config { get; }
    public Option<string> PasswordFile { get; }

    // A list, not a LINQ query: Select over the (key, option) tuples, a value type, cost the binary 29 KB.
    public IReadOnlyList<Option> All => _all;

    public SettingsInput Read(ParseResult parse, AppIo io)
    {
        var flags = new Dictionary<string, string>();
        foreach ((ConfigKey key, Option<string> option) in _keys)
            if (parse.GetResult(option) is not null && parse.GetValue(option) is { } text)
                flags[key.Name] = text;
        return new SettingsInput
        {
            Flags = flags,
            ConfigPath = parse.GetValue(Config),
            PasswordFile = parse.GetValue(PasswordFile),
            EnvironmentPassword = io.GetEnvironmentVariable(SettingsLoader.PasswordVariable),
            BinaryDirectory = io.BinaryDirectory,
        };
    }

    private static Option<string> NewOption(string name, string valueName, string description) => new(name)
    {
        HelpName = valueName,
        Description = description,
        Recursive = true,
    };
}
