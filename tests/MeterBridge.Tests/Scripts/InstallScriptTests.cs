using Xunit;

namespace MeterBridge.Tests.Scripts;

/// <summary>gx/install.sh and gx/uninstall.sh against a temporary GX-like root.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InstallScriptTests
{
    [Fact]
    public void Install_makes_the_meter_its_link_and_one_boot_line()
    {
        using var gx = new GxRoot();

        var result = gx.Install();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("100", GxRoot.ConfigValue(gx.Config(100), "device_instance"));
        Assert.Equal(gx.ServiceDir(100), new FileInfo(gx.Link(100)).LinkTarget);
        Assert.True(Directory.Exists(gx.Link(100)), "the link resolves");
        Assert.Equal("#!/bin/bash", gx.RcLines[0]);
        Assert.Equal((UnixFileMode)0b111_101_101, GxRoot.Mode(gx.RcLocal));
        Assert.Equal(1, gx.RcCount(100));
        Assert.True(GxRoot.IsExecutable(Path.Combine(gx.ServiceDir(100), "run")));
        Assert.True(GxRoot.IsExecutable(Path.Combine(gx.ServiceDir(100), "log", "run")));
        Assert.True(GxRoot.IsExecutable(Path.Combine(gx.Base, "meterbridge")));
        Assert.Equal("exec multilog t s25000 n4 /var/log/meterbridge-100",
            File.ReadAllLines(Path.Combine(gx.ServiceDir(100), "log", "run")).Last());
        Assert.Contains("svc not found", result.Stdout);
        Assert.Contains("svstat not found", result.Stdout);
    }

    [Fact]
    public void Installing_twice_changes_nothing_more()
    {
        using var gx = new GxRoot();
        Assert.Equal(0, gx.Install().ExitCode);
        string first = gx.Snapshot();

        var again = gx.Install();

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(first, gx.Snapshot());
        Assert.Equal(1, gx.RcCount(100));
        Assert.Equal(2, gx.RcLines.Length);
    }

    [Fact]
    public void An_existing_rc_local_keeps_its_lines_even_without_a_final_newline()
    {
        using var gx = new GxRoot();
        File.WriteAllText(gx.RcLocal, "#!/bin/bash\necho mine");
        File.SetUnixFileMode(gx.RcLocal, (UnixFileMode)0b111_101_101);

        Assert.Equal(0, gx.Install().ExitCode);

        Assert.Equal(["#!/bin/bash", "echo mine", GxRoot.RcLine(100)], gx.RcLines);
    }

    [Fact]
    public void Two_meters_get_their_own_instance_config_link_log_and_line()
    {
        using var gx = new GxRoot();
        Assert.Equal(0, gx.Install().ExitCode);

        var second = gx.Install("--instance", "101");
        var secondAgain = gx.Install("--instance", "101");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.True(secondAgain.ExitCode == 0, secondAgain.ToString());
        Assert.Equal("100", GxRoot.ConfigValue(gx.Config(100), "device_instance"));
        Assert.Equal("101", GxRoot.ConfigValue(gx.Config(101), "device_instance"));
        Assert.Equal(gx.ServiceDir(100), new FileInfo(gx.Link(100)).LinkTarget);
        Assert.Equal(gx.ServiceDir(101), new FileInfo(gx.Link(101)).LinkTarget);
        Assert.Equal(["#!/bin/bash", GxRoot.RcLine(100), GxRoot.RcLine(101)], gx.RcLines);
        Assert.Contains("/var/log/meterbridge-101", File.ReadAllText(Path.Combine(gx.ServiceDir(101), "log", "run")));
        // One identical run script for every meter.
        Assert.Equal(File.ReadAllText(Path.Combine(gx.ServiceDir(100), "run")), File.ReadAllText(Path.Combine(gx.ServiceDir(101), "run")));
    }

    [Fact]
    public void An_instance_another_meter_uses_is_refused()
    {
        using var gx = new GxRoot();
        Assert.Equal(0, gx.Install("--instance", "100").ExitCode);
        GxRoot.SetConfigValue(gx.Config(100), "device_instance", "101");   // the user gave meter 100 instance 101

        var result = gx.Install("--instance", "101");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("already used", result.Stderr);
        Assert.False(Directory.Exists(gx.MeterDir(101)));
        Assert.False(File.Exists(gx.Link(101)) || Directory.Exists(gx.Link(101)));
        Assert.Equal(0, gx.RcCount(101));
    }

    [Fact]
    public void A_moved_over_dbus_mqtt_grid_config_gives_the_instance_and_is_never_overwritten()
    {
        using var gx = new GxRoot();
        File.WriteAllText(Path.Combine(gx.Base, "config.ini"),
            "[DEFAULT]\r\nlogging = WARNING\r\ndevice_instance = 31\r\n\r\n[MQTT]\r\nbroker_address = 10.0.0.2\r\ntopic = tasmota/sml\r\n");

        var result = gx.Install();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("31", GxRoot.ConfigValue(gx.Config(31), "device_instance"));
        Assert.Equal("tasmota/sml", GxRoot.ConfigValue(gx.Config(31), "topic"));
        Assert.Equal(gx.ServiceDir(31), new FileInfo(gx.Link(31)).LinkTarget);

        GxRoot.SetConfigValue(gx.Config(31), "topic", "edited/by/user");
        Assert.Equal(0, gx.Install().ExitCode);
        Assert.Equal(0, gx.Install("--instance", "31").ExitCode);
        Assert.Equal("edited/by/user", GxRoot.ConfigValue(gx.Config(31), "topic"));
        Assert.False(Directory.Exists(gx.MeterDir(100)), "a plain re-run upgrades the installed meter, it adds none");
    }

    [Fact]
    public void A_config_without_device_instance_gets_it_in_its_DEFAULT_section()
    {
        using var gx = new GxRoot();
        File.WriteAllText(Path.Combine(gx.Base, "config.ini"), "[DEFAULT]\nlogging = INFO\n\n[MQTT]\ntopic = a/b\n");

        Assert.Equal(0, gx.Install("--instance", "42").ExitCode);

        Assert.Equal(["[DEFAULT]", "device_instance = 42", "logging = INFO", "", "[MQTT]", "topic = a/b"], File.ReadAllLines(gx.Config(42)));
    }

    [Fact]
    public void The_run_script_finds_the_binary_and_its_meters_config_through_the_service_link()
    {
        using var gx = new GxRoot();
        Assert.Equal(0, gx.Install().ExitCode);
        Assert.Equal(0, gx.Install("--instance", "101").ExitCode);

        // supervise runs ./run from inside /service/<name>, which is a link.
        var result = Shell.Run(Path.Combine(gx.Link(101), "run"), [], workingDirectory: gx.Link(101));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"cwd={gx.ServiceDir(101)}", result.Stdout);
        Assert.Contains("args=run --config ../config.ini", result.Stdout);
        Assert.Contains("device_instance = 101", result.Stdout);
    }

    [Fact]
    public void A_package_unpacked_elsewhere_is_copied_to_data_meterbridge()
    {
        using var gx = new GxRoot(packageAt: "tmp");

        var result = gx.Install();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(GxRoot.IsExecutable(Path.Combine(gx.Base, "meterbridge")));
        Assert.True(File.Exists(Path.Combine(gx.Base, "uninstall.sh")));
        Assert.Equal("100", GxRoot.ConfigValue(gx.Config(100), "device_instance"));
        Assert.Equal(gx.ServiceDir(100), new FileInfo(gx.Link(100)).LinkTarget);
    }

    [Fact]
    public void Uninstall_of_one_meter_removes_its_link_and_line_and_keeps_its_config()
    {
        using var gx = new GxRoot();
        Assert.Equal(0, gx.Install().ExitCode);
        Assert.Equal(0, gx.Install("--instance", "101").ExitCode);

        var result = gx.Uninstall("--instance", "101");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(gx.Link(101)) || Directory.Exists(gx.Link(101)));
        Assert.Equal(["#!/bin/bash", GxRoot.RcLine(100)], gx.RcLines);
        Assert.True(File.Exists(gx.Config(101)));
        Assert.Equal(gx.ServiceDir(100), new FileInfo(gx.Link(100)).LinkTarget);
        Assert.Equal((UnixFileMode)0b111_101_101, GxRoot.Mode(gx.RcLocal));
        Assert.Contains("svc not found", result.Stdout);
    }

    [Fact]
    public void Plain_uninstall_removes_every_meter_and_keeps_every_config()
    {
        using var gx = new GxRoot();
        Assert.Equal(0, gx.Install().ExitCode);
        Assert.Equal(0, gx.Install("--instance", "101").ExitCode);

        var result = gx.Uninstall();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(gx.Root, "service")));
        Assert.Equal(["#!/bin/bash"], gx.RcLines);
        Assert.True(File.Exists(gx.Config(100)));
        Assert.True(File.Exists(gx.Config(101)));

        // With nothing installed, a plain run installs one meter (from its kept config); the others come back
        // one by one, as they were.
        var reinstall = gx.Install();
        Assert.True(reinstall.ExitCode == 0, reinstall.ToString());
        Assert.Equal(["#!/bin/bash", GxRoot.RcLine(100)], gx.RcLines);
        Assert.Equal(0, gx.Install("--instance", "101").ExitCode);
        Assert.Equal(["#!/bin/bash", GxRoot.RcLine(100), GxRoot.RcLine(101)], gx.RcLines);
        Assert.Equal("101", GxRoot.ConfigValue(gx.Config(101), "device_instance"));
    }

    [Fact]
    public void An_upgrade_leaves_an_uninstalled_meter_uninstalled()
    {
        using var gx = new GxRoot();
        Assert.Equal(0, gx.Install().ExitCode);
        Assert.Equal(0, gx.Install("--instance", "101").ExitCode);
        Assert.Equal(0, gx.Uninstall("--instance", "101").ExitCode);

        var upgrade = gx.Install();

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.False(File.Exists(gx.Link(101)) || Directory.Exists(gx.Link(101)), "meterbridge-101 came back");
        Assert.Equal(["#!/bin/bash", GxRoot.RcLine(100)], gx.RcLines);
        Assert.True(File.Exists(gx.Config(101)), "its config is kept");
        Assert.Equal(gx.ServiceDir(100), new FileInfo(gx.Link(100)).LinkTarget);
    }

    [Fact]
    public void A_meter_with_only_its_rc_local_line_left_is_upgraded()
    {
        // After a reboot /service is rebuilt from rc.local; before rc.local ran, the line alone says "installed".
        using var gx = new GxRoot();
        Assert.Equal(0, gx.Install("--instance", "7").ExitCode);
        File.Delete(gx.Link(7));

        Assert.Equal(0, gx.Install().ExitCode);

        Assert.Equal(gx.ServiceDir(7), new FileInfo(gx.Link(7)).LinkTarget);
        Assert.False(Directory.Exists(gx.MeterDir(100)));
    }

    [Theory]
    [InlineData("install.sh", "")]
    [InlineData("install.sh", "99999999999999999999")]
    [InlineData("install.sh", "2147483648")]
    [InlineData("install.sh", "-1")]
    [InlineData("install.sh", "1e3")]
    [InlineData("uninstall.sh", "")]
    [InlineData("uninstall.sh", "99999999999999999999")]
    [InlineData("uninstall.sh", "2147483648")]
    [InlineData("uninstall.sh", " 100")]
    public void An_instance_that_is_not_a_number_0_to_2147483647_is_refused_in_one_line(string script, string instance)
    {
        using var gx = new GxRoot();
        Assert.Equal(0, gx.Install().ExitCode);
        Assert.Equal(0, gx.Install("--instance", "101").ExitCode);
        string before = gx.Snapshot();

        var result = gx.RunScript(script, ["--instance", instance]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal($"{script}: --instance wants a number 0 to 2147483647, not '{instance}'\n", result.Stderr);
        Assert.Equal(before, gx.Snapshot());
    }

    [Fact]
    public void The_largest_instance_and_leading_zeros_are_numbers()
    {
        using var gx = new GxRoot();

        Assert.Equal(0, gx.Install("--instance", "2147483647").ExitCode);
        Assert.Equal(0, gx.Install("--instance", "0100").ExitCode);

        Assert.Equal("2147483647", GxRoot.ConfigValue(gx.Config(2147483647), "device_instance"));
        Assert.Equal("100", GxRoot.ConfigValue(gx.Config(100), "device_instance"));
        Assert.Equal(0, gx.Uninstall("--instance", "00100").ExitCode);
        Assert.Equal(0, gx.RcCount(100));
        Assert.Equal(1, gx.RcCount(2147483647));
    }

    [Theory]
    [InlineData("[DEFAULT]\ndevice_instance =\n[MQTT]\ntopic = a/b\n")]
    [InlineData("[DEFAULT]\nDevice_Instance = 31\n[MQTT]\ntopic = a/b\n")]
    [InlineData("[DEFAULT]\r\nDEVICE_INSTANCE: 5\r\n")]
    public void A_new_meter_gets_exactly_one_device_instance_line(string source)
    {
        using var gx = new GxRoot();
        File.WriteAllText(Path.Combine(gx.Base, "config.ini"), source);

        var result = gx.Install("--instance", "42");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(gx.Config(42)).Where(l => l.Split('=', ':')[0].Trim().Equals("device_instance", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["device_instance = 42"], lines);
    }

    [Fact]
    public void A_capitalised_device_instance_names_the_meter_of_a_plain_install()
    {
        using var gx = new GxRoot();
        File.WriteAllText(Path.Combine(gx.Base, "config.ini"), "[DEFAULT]\nDevice_Instance = 031\n");

        Assert.Equal(0, gx.Install().ExitCode);

        Assert.Equal("31", GxRoot.ConfigValue(gx.Config(31), "device_instance"));
        Assert.False(Directory.Exists(gx.MeterDir(100)));
    }

    [Fact]
    public void An_instance_written_with_leading_zeros_is_the_same_instance()
    {
        using var gx = new GxRoot();
        Assert.Equal(0, gx.Install("--instance", "100").ExitCode);
        GxRoot.SetConfigValue(gx.Config(100), "device_instance", "0101");

        var result = gx.Install("--instance", "101");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("already used", result.Stderr);
        Assert.False(Directory.Exists(gx.MeterDir(101)));
    }

    [Fact]
    public void A_CRLF_rc_local_is_converted_so_that_it_can_run()
    {
        using var gx = new GxRoot();
        File.WriteAllText(gx.RcLocal, "#!/bin/bash\r\necho mine\r\n");
        File.SetUnixFileMode(gx.RcLocal, (UnixFileMode)0b111_101_101);

        var result = gx.Install();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"#!/bin/bash\necho mine\n{GxRoot.RcLine(100)}\n", File.ReadAllText(gx.RcLocal));
        Assert.Contains("CRLF", result.Stdout);
        Assert.Equal((UnixFileMode)0b111_101_101, GxRoot.Mode(gx.RcLocal));
        Assert.DoesNotContain("CRLF", gx.Install().Stdout);
    }

    [Fact]
    public void With_svc_on_the_path_a_reinstall_restarts_and_uninstall_stops_the_service()
    {
        using var gx = new GxRoot(svcStubs: true);
        Assert.Equal(0, gx.Install().ExitCode);
        // What supervise leaves in a running service directory.
        Directory.CreateDirectory(Path.Combine(gx.ServiceDir(100), "supervise"));
        File.WriteAllText(Path.Combine(gx.ServiceDir(100), "supervise", "ok"), "");

        Assert.Equal(0, gx.Install().ExitCode);
        var uninstall = gx.Uninstall();

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        var calls = File.ReadAllLines(gx.SvcCalls);
        Assert.Contains($"svc -t {gx.Link(100)}", calls);
        Assert.Contains($"svstat {gx.Link(100)}", calls);
        Assert.Contains($"svc -dx {gx.ServiceDir(100)} {gx.ServiceDir(100)}/log", calls);
        Assert.DoesNotContain("svc not found", uninstall.Stdout);
    }
}
