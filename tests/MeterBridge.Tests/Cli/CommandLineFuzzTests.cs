using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MeterBridge.Cli;
using MeterBridge.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MeterBridge.Tests.Cli;

/// <summary>
/// The command line fuzzed on the shipped binary: every command and every option of the binary's own command tree
/// (read in-process, so a new command or flag is fuzzed without touching this file) with hostile values. Whatever the
/// input, the process ends by itself with 0, 1 or 2 (never a signal: an abort is 134) and says at most a few lines on
/// stderr. Nothing waits: the broker port is closed, D-Bus is a socket that does not exist, detect listens one second.
/// </summary>
public sealed class CommandLineFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int MaxErrorLines = 4;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(30);
    private const string NoBus = "unix:path=/nonexistent/meterbridge-fuzz/bus";

    private readonly string _folder = Directory.CreateTempSubdirectory("mb-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The values every option is given: empty, huge, negative, non-numeric, unicode, control characters…</summary>
    private static readonly (string What, string Value)[] HostileValues =
    [
        ("empty", ""),
        ("blank", "   "),
        ("zero", "0"),
        ("negative", "-1"),
        ("huge negative", "-99999999999999999999"),
        ("huge integer", "99999999999999999999"),
        ("beyond double", "1e400"),
        ("NaN", "NaN"),
        ("non-numeric", "abc"),
        ("100 000 digits", new string('9', 100_000)),
        ("100 000 letters", new string('x', 100_000)),
        ("unicode", "Zähler ☀ 電表 🔌"),
        ("control characters", "\u0001\u0007\t\r\u001b[31mred\u007f"),
        ("newline", "a\nb"),
        ("end of options", "--"),
        ("response file", "@no-such-file"),
    ];

    /// <summary>A command as typed (its path from the root) and every option it accepts, its ancestors' recursive ones too.</summary>
    internal sealed record FuzzCommand(string[] Path, IReadOnlyList<Option> Options)
    {
        public string Name => Path.Length == 0 ? "(root)" : string.Join(' ', Path);
    }

    internal sealed record FuzzCase(string Command, string What, string[] Args);

    internal static List<FuzzCommand> Commands(RootCommand root)
    {
        var found = new List<FuzzCommand>();
        void Walk(Command command, string[] path, List<Option> inherited)
        {
            var options = new List<Option>(inherited);
            foreach (Option option in command.Options)
                if (!options.Exists(o => o.Name == option.Name)) options.Add(option);
            found.Add(new FuzzCommand(path, options));
            var passedOn = options.FindAll(o => o.Recursive);
            foreach (Command sub in command.Subcommands)
                Walk(sub, [.. path, sub.Name], passedOn);
        }
        Walk(root, [], []);
        return found;
    }

    private static RootCommand Tree() =>
        App.CommandTree(new AppIo(TextReader.Null, TextWriter.Null, TextWriter.Null, _ => null, null));

    [Fact]
    public void The_fuzz_finds_every_command_and_their_own_options_in_the_binarys_command_tree()
    {
        var commands = Commands(Tree());
        var names = commands.ConvertAll(c => c.Name);
        foreach (string expected in new[] { "(root)", "run", "check", "decode", "detect" })
            Assert.Contains(expected, names);
        var detect = commands.Find(c => c.Name == "detect")!;
        foreach (string option in new[] { "--seconds", "--json", "--topic", "--broker-port", "--config", "--help" })
            Assert.Contains(detect.Options, o => o.Name == option);
        Assert.DoesNotContain(commands.Find(c => c.Name == "check")!.Options, o => o.Name == "--seconds");
        Assert.Contains(commands.Find(c => c.Name == "(root)")!.Options, o => o.Name == "--version");
        // Every config key is a flag of every command.
        foreach (FuzzCommand command in commands)
            foreach (var key in MeterBridge.Config.ConfigKeys.All)
                Assert.Contains(command.Options, o => o.Name == key.Flag);
    }

    [Fact]
    public void Detect_seconds_that_is_no_number_is_a_usage_error_in_one_line_not_an_abort()
    {
        foreach (string value in new[] { "abc", "", "99999999999999999999", "0", "601", "1.5" })
        {
            var error = new StringWriter();
            var io = new AppIo(TextReader.Null, TextWriter.Null, error, _ => null, _folder);
            int code = App.Run(["detect", "--seconds", value, "--broker-port", "1"], io);
            Assert.Equal(ExitCodes.BadConfiguration, code);
            Assert.StartsWith($"--seconds \"{value}\" is not a whole number of seconds 1 to {DetectCommand.MaxSeconds}", error.ToString());
        }
    }

    [Fact]
    public async Task Every_option_of_every_command_with_hostile_values_ends_by_itself_in_exit_0_1_or_2_with_a_short_error()
    {
        var commands = Commands(Tree());
        var cases = Cases(commands);
        var environment = new Dictionary<string, string?>
        {
            ["DBUS_SYSTEM_BUS_ADDRESS"] = NoBus,
            ["DBUS_SESSION_BUS_ADDRESS"] = NoBus,
            ["MQTT_PASSWORD"] = null,
        };
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var codes = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (fuzz, _) =>
        {
            var (exited, code, stderr) = await RunAsync(fuzz.Args, environment);
            string[] errorLines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            codes.AddOrUpdate(exited ? code : -1, 1, (_, n) => n + 1);
            string? problem = !exited ? $"did not exit within {CaseTimeout.TotalSeconds:0} s"
                : code is not (0 or 1 or 2) ? $"exit {code}" + (code > 128 ? $" (signal {code - 128})" : "")
                : errorLines.Length > MaxErrorLines ? $"{errorLines.Length} lines on stderr"
                : null;
            if (problem is not null)
                failures.Add($"{fuzz.Command} / {fuzz.What}: {problem}: meterbridge {Shown(fuzz.Args)}\n    stderr: {Short(stderr)}");
        });
        output.WriteLine($"{cases.Count} cases over {commands.Count} commands in {clock.Elapsed.TotalSeconds:0.0} s; exit codes: "
            + string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures.Take(20)));
        // The fuzz reached each command's action as well as the parser's errors.
        Assert.True(codes.ContainsKey(2) && (codes.ContainsKey(0) || codes.ContainsKey(1)), "only one kind of outcome: the cases do not reach the commands");
    }

    /// <summary>
    /// Every (option, value) pair once, on a command that accepts the option, the commands taken in turn so that each
    /// (command, option) pair is run too; each option also without its value and twice; each command bare, with an
    /// unknown flag and with a stray argument.
    /// </summary>
    private List<FuzzCase> Cases(List<FuzzCommand> commands)
    {
        string config = Path.Combine(_folder, "empty.ini");
        File.WriteAllText(config, "");
        var safe = new Dictionary<string, string>
        {
            ["--config"] = config,
            ["--dbus-address"] = NoBus,
            ["--broker-address"] = "127.0.0.1",
            ["--broker-port"] = ClosedPort().ToString(),
            ["--seconds"] = "1",
            ["--settings-wait"] = "0",
            ["--home"] = Path.Combine(_folder, "home"),
        };
        string[] Base(FuzzCommand command, string? except)
        {
            var args = new List<string>(command.Path);
            foreach (var (name, value) in safe)
                if (name != except && command.Options.Any(o => o.Name == name)) args.AddRange([name, value]);
            return [.. args];
        }

        var cases = new List<FuzzCase>();
        foreach (FuzzCommand command in commands)
        {
            cases.Add(new(command.Name, "nothing more", Base(command, null)));
            cases.Add(new(command.Name, "unknown flag", [.. Base(command, null), "--no-such-flag", "1"]));
            cases.Add(new(command.Name, "stray argument", [.. Base(command, null), "stray", "argument"]));
        }
        var optionNames = commands.SelectMany(c => c.Options).Select(o => o.Name).Distinct().ToList();
        foreach (string name in optionNames)
        {
            var accepting = commands.FindAll(c => c.Options.Any(o => o.Name == name));
            int turn = 0;
            FuzzCommand Next() => accepting[turn++ % accepting.Count];
            foreach (var (what, value) in HostileValues)
            {
                var command = Next();
                cases.Add(new(command.Name, $"{name} {what}", [.. Base(command, name), name, value]));
            }
            var last = Next();
            cases.Add(new(last.Name, $"{name} without its value", [.. Base(last, name), name]));
            var twice = Next();
            cases.Add(new(twice.Name, $"{name} twice", [.. Base(twice, name), name, "1", name, "-1"]));
        }
        return cases;
    }

    private async Task<(bool Exited, int Code, string Stderr)> RunAsync(string[] args, Dictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(AotBinary.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (string arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        process.StandardInput.Close(); // decode reads standard input: give it an empty one
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CaseTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (false, -1, await stderr);
        }
        await stdout;
        return (true, process.ExitCode, await stderr);
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Shown(string[] args) =>
        string.Join(' ', args.Select(a => a.Length > 40 ? $"'{Escaped(a[..20])}…' ({a.Length} chars)" : $"'{Escaped(a)}'"));

    private static string Escaped(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    private static string Short(string text)
    {
        text = Escaped(text.Replace("\n", " | "));
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
