using MeterBridge.Config;

namespace MeterBridge.Cli;

/// <summary>
/// <c>meterbridge check</c>: shows the effective settings, one <c>key = value</c> per line with where each value came
/// from (the password masked), then the warnings, and exits 0; or writes every problem to stderr and exits 2.
/// </summary>
public static class CheckCommand
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
        foreach (string warning in load.Warnings)
            output.WriteLine(Diagnostics.WarningPrefix + warning);
        return ExitCodes.Ok;
    }
}
