using MeterBridge.Config;

namespace MeterBridge.Cli;

/// <summary>How problems and warnings of the settings are written: one line each, problems as they are
/// (<c>config.ini:12: timeout = "abc" is not a number of seconds</c>), warnings marked as such.</summary>
internal static class Diagnostics
{
    public const string WarningPrefix = "warning: ";

    public static void Write(SettingsLoad load, TextWriter error)
    {
        foreach (string problem in load.Problems)
            error.WriteLine(problem);
        WriteWarnings(load, error);
    }

    public static void WriteWarnings(SettingsLoad load, TextWriter error)
    {
        foreach (string warning in load.Warnings)
            error.WriteLine(WarningPrefix + warning);
    }
}
