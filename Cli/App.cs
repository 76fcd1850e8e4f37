using System.CommandLine;
using System.CommandLine.Invocation;
using MeterBridge.Bridge;
using MeterBridge.Config;
using MeterBridge.Logging;

namespace MeterBridge.Cli;

/// <summary>
/// The command line: <c>meterbridge [run]</c>, <c>check</c>, <c>decode [FILE]</c>, <c>detect</c>, <c>--help</c>, <c>--version</c>,
/// every config key as a flag on every command. Callable in-process with any <see cref="AppIo"/> so tests can run it.
/// </summary>
internal static class App
{
    public static int Run(string[] args, AppIo io) => RunAsync(args, io).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(string[] args, AppIo io, CancellationToken ct = default)
    {
        var flags = new ConfigFlags();
        RootCommand root = Build(flags, io);

        // No response files: a value starting with '@' (a password, say) is a value.
        ParseResult parse;
        try
        {
            parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        }
        catch (Exception error)
        {
            // A flag's parser or validator that throws is our bug, but it was the command line that made it throw: say so
            // in one line and exit as for any bad flag. Unhandled, the exception would abort the process (SIGABRT).
            io.Error.WriteLine($"cannot read the command line: {error.Message}");
            io.Error.WriteLine(TryHelp);
            return ExitCodes.BadConfiguration;
        }
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
                io.Error.WriteLine(error.Message);
            io.Error.WriteLine(TryHelp);
            return ExitCodes.BadConfiguration;
        }
        try
        {
            // Not System.CommandLine's handler: it writes the whole exception, a stack of bare addresses in this binary.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = io.Out, Error = io.Error, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.RuntimeFailure; // as System.CommandLine's handler did: 1, and nothing to say
        }
        catch (Exception error)
        {
            io.Error.WriteLine($"meterbridge: unexpected error: {error.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }

    private const string TryHelp = "Try 'meterbridge --help'.";

    /// <summary>The command tree as the binary builds it, for tests that go over every command and option.</summary>
    internal static RootCommand CommandTree(AppIo io) => Build(new ConfigFlags(), io);

    private static RootCommand Build(ConfigFlags flags, AppIo io)
    {
        var root = new RootCommand(
            "MeterBridge: publishes the JSON energy-meter readings of an MQTT topic as a Victron GX meter on D-Bus.\n" +
            "Settings come from flags, then the config file, then the defaults.");
        foreach (Option option in flags.All)
            root.Options.Add(option);

        var run = new Command("run", "Run the bridge (the default command).");
        var check = new Command("check", "Show the effective settings and warnings (exit 0), or every problem (exit 2).");
        var decode = new Command("decode", "Feed payloads, one per line, to a fresh meter and print what the GX would see for each, as JSON. No network.");
        var file = new Argument<string>("FILE")
        {
            Arity = ArgumentArity.ZeroOrOne,
            Description = "Payloads, one per line (an empty line is an empty payload); default or '-': standard input.",
        };
        decode.Arguments.Add(file);
        root.Subcommands.Add(run);
        root.Subcommands.Add(check);
        root.Subcommands.Add(decode);
        root.Subcommands.Add(DetectCommand.Create(flags, io));
        root.Subcommands.Add(AppCommand.Create(flags, io));
        // meterbridge app's meters: their status as @state lines (Mqtt/StateLines.cs); not for people.
        var reportState = new Option<bool>("--report-state") { Hidden = true };
        run.Options.Add(reportState);

        root.SetAction((parse, ct) => RunBridge(flags.Read(parse, io), io, ct));
        run.SetAction((parse, ct) => RunBridge(flags.Read(parse, io), io, ct, parse.GetValue(reportState)));
        check.SetAction(parse => CheckCommand.Run(SettingsLoader.Load(flags.Read(parse, io)), io.Out, io.Error));
        decode.SetAction(parse => Decode(flags.Read(parse, io), parse.GetValue(file), io));
        return root;
    }

    private static async Task<int> RunBridge(SettingsInput input, AppIo io, CancellationToken ct, bool reportState = false)
    {
        SettingsLoad load = SettingsLoader.Load(input);
        if (!load.Ok)
        {
            Diagnostics.Write(load, io.Error);
            return ExitCodes.BadConfiguration;
        }
        // SIGTERM and Ctrl+C cancel ct (System.CommandLine); SIGHUP and SIGQUIT stop the same way, SIGUSR1/2 are ignored.
        using var signals = StopSignals.Register(new Log(load.Settings.Logging, Console.Out), ct);
        return await RunCommand.RunAsync(load.Settings, load.Warnings, signals.Token, reportState);
    }

    private static int Decode(SettingsInput input, string? path, AppIo io)
    {
        SettingsLoad load = SettingsLoader.Load(input);
        Diagnostics.Write(load, io.Error);
        if (!load.Ok)
            return ExitCodes.BadConfiguration;
        if (path is null or "-")
            return DecodeCommand.Run(load.Settings, io.OpenInput(), io.Out);
        if (TextFile.Open(path, out Stream? stream) is { } why)
        {
            io.Error.WriteLine($"decode: {ValueText.Quote(path)} {why}");
            return ExitCodes.BadConfiguration;
        }
        using (stream)
            return DecodeCommand.Run(load.Settings, stream!, io.Out);
    }
}
