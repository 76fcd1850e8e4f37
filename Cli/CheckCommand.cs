using MeterBridge.Config;
using MeterBridge.Sources;

namespace MeterBridge.Cli;

/// <summary>
/// <c>meterbridge check</c>: shows the effective settings, one <c>key = value</c> per line with where each value came
/// from (the password masked), then the warnings, and exits 0; or writes every problem to stderr and exits 2.
/// </summary>
internal static class CheckCommand
{
    private const int SourceColumn = 44;

    public static int Run(SettingsLoad load, TextWriter output, TextWriter error)
    {
        if (!load.Ok)
        {
            Diagnostics.Write(load, error);
            return ExitCodes.BadConfiguration;
        }
        output.WriteLine($"# config file: {load.ConfigFile ?? "none"}");
        foreach (ConfigKey key in ConfigKeys.All)
        {
            string line = $"{key.Name} = {key.Show(load.Settings)}";
            output.WriteLine($"{line.PadRight(SourceColumn)} # {load.Origins[key.Name].Source}");
        }
        if (load.Settings.Source is { } source) WriteRules(source, output);
        foreach (string warning in load.Warnings)
            output.WriteLine(Diagnostics.WarningPrefix + warning);
        return ExitCodes.Ok;
    }

    /// <summary>The effective rules, as a [MAPPING] section would hold them, then the subscriptions they make.</summary>
    private static void WriteRules(MappedSource source, TextWriter output)
    {
        output.WriteLine($"[{MappingSection.Name}]");
        foreach (var (key, rules, origin) in source.Shown)
            for (int i = 0; i < rules.Count; i++)
            {
                string line = i == 0 ? $"{key} = {rules[i]}" : new string(' ', key.Length + 3) + rules[i];
                output.WriteLine(i == 0 ? $"{line.PadRight(SourceColumn)} # {origin}" : line);
            }
        output.WriteLine("# subscribes to: " + string.Join(", ", source.TopicFilters));
    }
}
