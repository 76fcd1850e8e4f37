using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Binary;

/// <summary>Bad config files through the shipped AOT binary, as daemontools runs it: whatever goes to stdout and
/// stderr ends up in the GX's log.</summary>
public sealed class ConfigBinaryTests : IDisposable
{
    private const string Password = "hunter2";
    private readonly string _folder = Directory.CreateTempSubdirectory("meterbridge-config-bin-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public static TheoryData<string, string> PasswordLines()
    {
        var data = new TheoryData<string, string>();
        foreach (string command in new[] { "check", "run", "decode" })
        {
            data.Add(command, $"[MQTT]\nusername = u\npassword = abc%{Password}\n");         // a bad '%'
            data.Add(command, $"[MQTT]\nusername = u\npassword {Password}\n");               // no '='
            data.Add(command, $"password = {Password}\n[MQTT]\nusername = u\n");             // before any section
            data.Add(command, $"[MQTT]\nusername = u\n    password = {Password}\n");         // continues username
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PasswordLines))]
    public void A_password_is_never_printed_whatever_is_wrong_with_its_line(string command, string ini)
    {
        string config = Write("config.ini", ini);

        var (exitCode, stdout, stderr) = AotBinary.Run([command, "--config", config, "--dbus-address", "unix:path=/nonexistent"], "");

        Assert.Equal(2, exitCode);
        Assert.DoesNotContain(Password, stdout + stderr);
        Assert.Contains(config + ":", stderr);
    }

    [Fact]
    public void Check_of_a_multi_megabyte_file_exits_2_in_one_line()
    {
        // Read whole, this file and its lines would pass the binary's 32 MiB heap limit.
        string path = Path.Combine(_folder, "big.ini");
        using (var writer = new StreamWriter(path))
        {
            writer.Write("[DEFAULT]\n");
            for (int i = 0; i < 1_000_000; i++)
                writer.Write($"key{i} = value {i}\n");
        }

        var (exitCode, stdout, stderr) = AotBinary.Run(["check", "--config", path]);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal($"--config \"{path}\" is larger than 256 KiB (the wrong file?)\n", stderr);
    }

    [Theory]
    [InlineData("garbage\n")]
    [InlineData("k{0} = v\n")]
    [InlineData("k = %(k)s\n")]
    public void Check_of_a_hostile_file_just_under_the_limit_ends_with_problems_or_warnings_not_a_crash(string line)
    {
        string path = Path.Combine(_folder, "hostile.ini");
        using (var writer = new StreamWriter(path))
        {
            writer.Write("[DEFAULT]\n");
            long length = 10;
            for (int i = 0; length + line.Length + 8 < 256 * 1024; i++)
            {
                string text = string.Format(line, i);
                writer.Write(text);
                length += text.Length;
            }
        }

        var (exitCode, stdout, stderr) = AotBinary.Run(["check", "--config", path]);

        Assert.True(exitCode is 0 or 2, $"exit {exitCode}: {stderr}");
        Assert.True(stdout.Length + stderr.Length > 0);
    }

    [Fact]
    public void A_config_that_is_not_UTF8_is_refused_naming_its_line()
    {
        string path = Path.Combine(_folder, "latin1.ini");
        File.WriteAllBytes(path, [.. "[DEFAULT]\nlogging = INFO\ndevice_name = Caf"u8, 0xE9, .. "\n"u8]);

        var (exitCode, _, stderr) = AotBinary.Run(["check", "--config", path]);

        Assert.Equal(2, exitCode);
        Assert.Equal($"{path}:3: is not UTF-8 text (byte 0xE9): save the file as UTF-8\n", stderr);
    }
}
