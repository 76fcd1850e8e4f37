using System.CommandLine;
using MeterBridge.Config;
using MeterBridge.GxApp;
using MeterBridge.Logging;

namespace MeterBridge.Cli;

/// <summary>
/// <c>meterbridge app [--home DIR] [--dbus-address ADDR]</c>: the one service of the Venus OS app (docs/gx-app.md). Runs
/// every meter kept in the GX's settings as a <c>run</c> child and serves <c>com.victronenergy.meterbridge</c>. Stops on
/// SIGTERM, SIGHUP or SIGQUIT (every meter stopped cleanly first), exit 0.
/// </summary>
internal static class AppCommand
{
    public const string DefaultHome = "/data/meterbridge";

    public static Command Create(ConfigFlags flags, AppIo io)
    {
        var home = new Option<string>("--home")
        {
            HelpName = "DIR",
            Description = "Where the meters' files are: meter-N/app.ini (written from the settings), meter-N/config.ini (imported once).",
            DefaultValueFactory = _ => DefaultHome,
        };
        var app = new Command("app",
            "The Venus OS app: run every meter kept in the GX's settings (/Settings/MeterBridge) and serve com.victronenergy.meterbridge. " +
            "Of the other flags only --dbus-address counts.");
        app.Options.Add(home);
        app.SetAction((parse, ct) => RunAsync(parse.GetValue(home) ?? DefaultHome, flags.Read(parse, io), io, ct));
        return app;
    }

    private static async Task<int> RunAsync(string home, SettingsInput input, AppIo io, CancellationToken ct)
    {
        string? bus = input.Flags.GetValueOrDefault("dbus_address");
        if (bus is not null && ConfigKeys.Find("dbus_address")!.Apply(new Settings(), bus).Problem is { } problem)
        {
            io.Error.WriteLine($"--dbus-address {ValueText.Quote(bus)} {problem}");
            return ExitCodes.BadConfiguration;
        }
        try { Directory.CreateDirectory(home); }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            io.Error.WriteLine($"--home {ValueText.Quote(home)} is not a folder the app can write: {error.Message}");
            return ExitCodes.BadConfiguration;
        }
        using var signals = StopSignals.Register(new Log(LogLevel.Info, Console.Out), ct);
        var app = new MeterApp(Path.GetFullPath(home), string.IsNullOrEmpty(bus) ? null : bus, Environment.ProcessPath ?? "meterbridge", new AppLog(Console.Out));
        return await app.RunAsync(signals.Token);
    }
}
