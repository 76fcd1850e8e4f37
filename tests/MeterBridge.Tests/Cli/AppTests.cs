using MeterBridge.Tests.Infrastructure;
using Xunit;
using MeterBridge.Cli;
using MeterBridge.Tests.Config;

namespace MeterBridge.Tests.Cli;

/// <summary>The command line run in-process: exit codes, what goes to stdout and stderr.</summary>
public sealed class AppTests : IDisposable
{
    private readonly ConfigTestFiles _files = new();
    private readonly Dictionary<string, string> _environment = [];

    public void Dispose() => _files.Dispose();

    private (int Code, string Out, string Error) Run(params string[] args) => RunWithInput("", args);

    private (int Code, string Out, string Error) RunWithInput(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var io = new AppIo(new StringReader(input), output, error,
            name => _environment.TryGetValue(name, out string? v) ? v : null, _files.Folder);
        int code = App.Run(args, io);
        return (code, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string ValueLine(string output, string key) =>
        Assert.Single(Lines(output), l => l.StartsWith(key + " = ", StringComparison.Ordinal));

    [Fact]
    public void Check_without_config_shows_every_key_with_its_default()
    {
        var (code, output, error) = Run("check");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        foreach (var key in MeterBridge.Config.ConfigKeys.All)
            Assert.EndsWith("# default", ValueLine(output, key.Name));
        Assert.StartsWith("timeout = 60 ", ValueLine(output, "timeout"));
    }

    [Fact]
    public void Check_shows_flag_over_file_over_default_with_sources()
    {
        string ini = _files.Write("my.ini", "[DEFAULT]\ntimeout = 30\nvoltage = 240\n[MQTT]\ntopic = file/topic\n");
        var (code, output, _) = Run("check", "--config", ini, "--timeout", "5", "--broker-port", "8883");
        Assert.Equal(0, code);
        Assert.Matches(@"^timeout = 5 +# --timeout$", ValueLine(output, "timeout"));
        Assert.Matches(@"^broker_port = 8883 +# --broker-port$", ValueLine(output, "broker_port"));
        Assert.Matches(@"^voltage = 240 +# .*my\.ini:3$", ValueLine(output, "voltage"));
        Assert.Matches(@"^topic = file/topic +# .*my\.ini:5$", ValueLine(output, "topic"));
        Assert.Matches(@"^frequency = 50 +# default$", ValueLine(output, "frequency"));
        Assert.Contains($"# config file: {ini}", output);
    }

    [Fact]
    public void Flags_are_accepted_before_or_after_the_command()
    {
        var (code, output, _) = Run("--topic", "x/y", "check");
        Assert.Equal(0, code);
        Assert.StartsWith("topic = x/y ", ValueLine(output, "topic"));
    }

    [Fact]
    public void Check_masks_the_password_from_every_source()
    {
        string pwFile = _files.Write("pw", "file-secret\n");
        string ini = _files.Write("c.ini", "[MQTT]\nusername = u\npassword = config-secret\n");
        _environment["MQTT_PASSWORD"] = "env-secret";
        foreach (string[] args in new[]
                 {
                     new[] { "check", "--config", ini },
                     new[] { "check", "--config", ini, "--password-file", pwFile },
                     new[] { "check", "--config", ini, "--password", "flag-secret" },
                 })
        {
            var (code, output, error) = Run(args);
            Assert.Equal(0, code);
            Assert.DoesNotContain("secret", output + error);
            Assert.StartsWith("password = ******** ", ValueLine(output, "password"));
        }
        Assert.EndsWith("# MQTT_PASSWORD", ValueLine(Run("check", "--config", ini).Out, "password"));
        Assert.EndsWith("# --password-file " + pwFile, ValueLine(Run("check", "--config", ini, "--password-file", pwFile).Out, "password"));
        Assert.EndsWith("# --password", ValueLine(Run("check", "--config", ini, "--password", "p").Out, "password"));
    }

    [Fact]
    public void Check_names_every_problem_on_stderr_and_exits_2()
    {
        string ini = _files.Write("bad.ini", "[DEFAULT]\ntimeout = abc\ndevice_type = foo\n[MQTT]\nbroker_port = 70000\n");
        var (code, output, error) = Run("check", "--config", ini, "--qos", "2");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(
        [
            $"{ini}:2: timeout = \"abc\" is not a number of seconds (0 or more)",
            $"{ini}:3: device_type = \"foo\" is not one of grid, genset, acload, heatpump, pvinverter",
            $"{ini}:5: broker_port = \"70000\" is not a port number 1 to 65535",
            "--qos \"2\" is not a QoS of 0 or 1",
        ], Lines(error));
    }

    [Fact]
    public void Check_prints_warnings_after_the_settings_and_still_exits_0()
    {
        string ini = _files.Write("c.ini", "[MQTT]\ntopic = t\ncolour = blue\n");
        var (code, output, _) = Run("check", "--config", ini);
        Assert.Equal(0, code);
        Assert.Equal($"warning: {ini}:3: unknown key colour in [MQTT] is ignored", Lines(output)[^1]);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("decode")]
    [InlineData(null)]
    public void Every_command_refuses_bad_settings_with_exit_2(string? command)
    {
        string ini = _files.Write("bad.ini", "[DEFAULT]\ntimeout = abc\n");
        string[] args = command is null ? ["--config", ini] : [command, "--config", ini];
        var (code, output, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"{ini}:2: timeout = \"abc\" is not a number of seconds (0 or more)", Assert.Single(Lines(error)));
    }

    [Fact]
    public void A_missing_config_file_exits_2_naming_it()
    {
        string path = Path.Combine(_files.Folder, "missing.ini");
        var (code, _, error) = Run("check", "--config", path);
        Assert.Equal(2, code);
        Assert.Equal($"--config \"{path}\" does not exist", Assert.Single(Lines(error)));
    }

    [Fact]
    public void Config_ini_beside_the_binary_is_read_by_default()
    {
        _files.Write("config.ini", "[DEFAULT]\ndevice_instance = 42\n");
        var (code, output, _) = Run("check");
        Assert.Equal(0, code);
        Assert.StartsWith("device_instance = 42 ", ValueLine(output, "device_instance"));
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("frobnicate")]
    [InlineData("check", "--timeout")]
    [InlineData("decode", "a", "b")]
    public void Command_line_parse_errors_exit_2_on_stderr(params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("Try 'meterbridge --help'.", error);
    }

    [Fact]
    public void Help_lists_the_commands_and_every_flag()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        foreach (string word in new[] { "run", "check", "decode", "--config", "--password-file" })
            Assert.Contains(word, output);
        foreach (var key in MeterBridge.Config.ConfigKeys.All)
            Assert.Contains(key.Flag + " <", output);
    }

    [Fact]
    public void Tls_insecure_is_described_as_what_it_does_in_help_sample_and_readme()
    {
        // It forgives a host name mismatch only (Mqtt/BrokerOptions.cs); an untrusted chain is still refused.
        string help = System.Text.RegularExpressions.Regex.Replace(Run("--help").Out, @"\s+", " ");
        string[] sample = File.ReadAllLines(ConfigTestFiles.OwnSample);
        int at = Array.IndexOf(sample, ";tls_insecure = 1");
        string sampleComment = string.Join(" ", sample[(at - 5)..at]);
        string readme = Assert.Single(File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md")), l => l.StartsWith("| `tls_insecure`", StringComparison.Ordinal));
        foreach (string text in new[] { help, sampleComment, readme })
        {
            Assert.Contains("host name does not match", text);
            Assert.Contains("still checked", text);
            Assert.DoesNotContain("any broker certificate", text);
            Assert.DoesNotContain("verification of the server certificate", text);
        }
    }

    [Theory]
    [InlineData("check")]
    [InlineData("run")]
    [InlineData("decode")]
    public void No_command_shows_a_password_whatever_is_wrong_with_its_line(string command)
    {
        foreach (string ini in new[]
                 {
                     "[MQTT]\nusername = u\npassword = hunter2%\n",
                     "[MQTT]\nusername = u\npassword hunter2\n",
                     "password = hunter2\n[MQTT]\n",
                     "[MQTT]\nusername = u\n  password = hunter2\n",
                 })
        {
            var (code, output, error) = Run(command, "--config", _files.Write("c.ini", ini));
            Assert.Equal(2, code);
            Assert.DoesNotContain("hunter2", output + error);
            Assert.Contains("c.ini:", error);
        }
    }

    [Fact]
    public void Version_prints_the_version()
    {
        var (code, output, _) = Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
    }

    [Fact]
    public void A_value_starting_with_at_is_not_a_response_file()
    {
        var (code, output, _) = Run("check", "--device-name", "@home");
        Assert.Equal(0, code);
        Assert.StartsWith("device_name = @home ", ValueLine(output, "device_name"));
    }

    [Fact]
    public void Both_sample_files_pass_check()
    {
        foreach (string sample in new[] { ConfigTestFiles.OwnSample, ConfigTestFiles.PythonSample })
        {
            var (code, output, error) = Run("check", "--config", sample);
            Assert.True(code == 0, sample + ": " + error);
            Assert.Contains("topic = enphase/envoy-s/meters", output);
        }
    }

    [Fact]
    public void Decode_reads_the_named_file_or_standard_input()
    {
        // The decode output itself belongs to the lead's DecodeCommand; here: the input reaches it, one line per line.
        string payloads = _files.Write("p.txt", "{\"grid\":{\"power\":1}}\n\n{}\n");
        var fromFile = Run("decode", payloads);
        Assert.Equal(0, fromFile.Code);
        Assert.Equal(3, fromFile.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var fromStdin = RunWithInput("{}\n{}\n", "decode");
        Assert.Equal(0, fromStdin.Code);
        Assert.Equal(2, fromStdin.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var dash = RunWithInput("{}\n", "decode", "-");
        Assert.Equal(0, dash.Code);
        Assert.Single(dash.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Decode_of_a_missing_file_exits_2_naming_it()
    {
        string path = Path.Combine(_files.Folder, "none.txt");
        var (code, _, error) = Run("decode", path);
        Assert.Equal(2, code);
        Assert.Equal($"decode: \"{path}\" does not exist", error.Trim());
    }
}
