using MeterBridge.Config;
using MeterBridge.Config.Ini;
using MeterBridge.GxApp;
using MeterBridge.Items;
using Xunit;

namespace MeterBridge.Tests.GxApp;

/// <summary>A meter's settings into its app.ini (pure), and the refusal of a bad value in the setting's own name.</summary>
public class AppIniTests
{
    private static Dictionary<string, BusValue> Values(params (string Name, BusValue Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    private static IniFile Parse(AppIni.Text ini) => IniFile.Parse(ini.Content, "app.ini");

    [Fact]
    public void Each_setting_goes_into_its_keys_section_with_the_instance_and_the_apps_bus()
    {
        var ini = AppIni.Generate(101, Values(("BrokerPort", BusValue.Of(1884)), ("Topic", BusValue.Of("home/meter")), ("PowerThreshold", BusValue.Of(5000.0))), [], "unix:path=/tmp/bus");
        IniFile file = Parse(ini);
        Assert.Empty(file.Errors);
        Assert.Equal("101", file.Get("DEFAULT", "device_instance")!.Value);
        Assert.Equal("5000", file.Get("DEFAULT", "power_threshold_per_phase")!.Value);
        Assert.Equal("1884", file.Get("MQTT", "broker_port")!.Value);
        Assert.Equal("home/meter", file.Get("MQTT", "topic")!.Value);
        Assert.Equal("unix:path=/tmp/bus", file.Get("MQTT", "dbus_address")!.Value);
        Assert.Equal("127.0.0.1", file.Get("MQTT", "broker_address")!.Value); // a default
    }

    [Fact]
    public void An_unset_timeout_has_no_line_so_the_formats_own_default_holds()
    {
        var ini = AppIni.Generate(100, Values(), [], null);
        Assert.DoesNotContain("timeout", ini.Content);
        ini = AppIni.Generate(100, Values(("Timeout", BusValue.Of(30.0))), [], null);
        Assert.Equal("30", Parse(ini).Get("DEFAULT", "timeout")!.Value);
    }

    [Fact]
    public void A_percent_sign_is_doubled_so_the_ini_reader_gives_it_back_as_written()
    {
        var ini = AppIni.Generate(100, Values(("Password", BusValue.Of("50%off%(x)s")), ("Username", BusValue.Of("me"))), [], null);
        Assert.Contains("password = 50%%off%%(x)s", ini.Content);
        Assert.Equal("50%off%(x)s", Parse(ini).Get("MQTT", "password")!.Value);
    }

    [Fact]
    public void The_mapping_lines_become_the_MAPPING_section()
    {
        var ini = AppIni.Generate(100, Values(("Format", BusValue.Of("custom")), ("Mapping", BusValue.Of("power = $.P\n\n  voltage = $.U  \nenergy_forward = $.E * 100%"))), [], null);
        IniFile file = Parse(ini);
        var section = file.Section("MAPPING")!;
        Assert.Equal(["power", "voltage", "energy_forward"], section.Entries.Select(e => e.Key));
        Assert.Equal("$.U", file.Get("MAPPING", "voltage")!.Value);
        Assert.Equal("$.E * 100%", file.Get("MAPPING", "energy_forward")!.Value);
        Assert.All(section.Entries, e => Assert.Equal(MeterSettings.Mapping, ini.SettingOfLine[e.Line]));
        Assert.DoesNotContain("[MAPPING]", AppIni.Generate(100, Values(), [], null).Content);
    }

    [Fact]
    public void Keys_of_an_imported_config_without_a_setting_are_carried_over_but_never_the_apps_own()
    {
        CarriedKey[] carried = [new("update_interval", "250"), new("status_topic", "x/50%"), new("logging", "DEBUG"),
            new("device_instance", "7"), new("dbus_address", "unix:path=/elsewhere"), new("topic", "from/config"), new("no_such_key", "1")];
        var ini = AppIni.Generate(100, Values(("Topic", BusValue.Of("from/settings"))), carried, "unix:path=/ours");
        IniFile file = Parse(ini);
        Assert.Equal("250", file.Get("MQTT", "update_interval")!.Value);
        Assert.Equal("x/50%", file.Get("MQTT", "status_topic")!.Value);
        Assert.Equal("DEBUG", file.Get("DEFAULT", "logging")!.Value);
        Assert.Equal("100", file.Get("DEFAULT", "device_instance")!.Value);
        Assert.Equal("unix:path=/ours", file.Get("MQTT", "dbus_address")!.Value);
        Assert.Equal("from/settings", file.Get("MQTT", "topic")!.Value);
        Assert.DoesNotContain("no_such_key", ini.Content);
        Assert.Single(file.Defaults.Entries, e => e.Key == "device_instance");
    }

    [Theory]
    [InlineData("BrokerPort", 70000, "BrokerPort 70000: is not a port number 1 to 65535")]
    [InlineData("Channel", 100, "Channel 100: is not a channel number 0 to 99")]
    [InlineData("TlsEnabled", 2, "TlsEnabled 2: is not a yes/no value (1/true/yes/on or 0/false/no/off)")]
    public void A_number_out_of_range_is_refused_in_the_settings_name(string name, int value, string reason)
    {
        Assert.Equal(reason, AppIni.Problem(Values((name, BusValue.Of(value)))));
    }

    [Fact]
    public void Texts_are_checked_by_their_config_keys()
    {
        Assert.StartsWith("Topic \"a/#/b\": ", AppIni.Problem(Values(("Topic", BusValue.Of("a/#/b")))));
        Assert.StartsWith("Format \"nonsense\": is not a format: ", AppIni.Problem(Values(("Format", BusValue.Of("nonsense")))));
        Assert.Equal("BrokerAddress \"two words\": is not a host name or IP address", AppIni.Problem(Values(("BrokerAddress", BusValue.Of("two words")))));
        Assert.Equal("PowerThreshold 0: is not a power in watts above 0", AppIni.Problem(Values(("PowerThreshold", BusValue.Of(0.0)))));
        Assert.Equal("Timeout 100000: is not -1 to 86400", AppIni.Problem(Values(("Timeout", BusValue.Of(100000.0)))));
        Assert.Null(AppIni.Problem(Values(("Timeout", BusValue.Of(-1.0)))));
        Assert.Null(AppIni.Problem(Values()));
    }

    [Fact]
    public void A_value_that_would_write_a_second_line_is_refused_and_the_password_is_never_shown()
    {
        Assert.Equal("Topic \"a\\nformat = custom\": goes on over several lines", AppIni.Problem(Values(("Topic", BusValue.Of("a\nformat = custom")))));
        string? problem = AppIni.Problem(Values(("Password", BusValue.Of("hunter2\nx"))));
        Assert.NotNull(problem);
        Assert.DoesNotContain("hunter2", problem);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_refused()
    {
        Assert.Equal("BrokerPort: is not a number", AppIni.Problem(Values(("BrokerPort", BusValue.Of("1883")))));
        Assert.Equal("Topic: is not a text", AppIni.Problem(Values(("Topic", BusValue.Of(5)))));
        Assert.Equal("BrokerPort 1883.5: is not a whole number", AppIni.Problem(Values(("BrokerPort", BusValue.Of(1883.5)))));
    }

    [Theory]
    [InlineData("power")]
    [InlineData("[MQTT]")]
    [InlineData("= $.P")]
    [InlineData("# power = $.P")]
    [InlineData("a:b = $.P")]
    public void A_mapping_line_that_is_no_rule_is_refused(string line)
    {
        Assert.StartsWith("Mapping line 2 ", AppIni.Problem(Values(("Mapping", BusValue.Of("power = $.P\n" + line)))));
    }

    [Fact]
    public void A_problem_the_loader_finds_in_the_file_is_said_in_the_name_of_the_setting_on_that_line()
    {
        var ini = AppIni.Generate(100, Values(("Format", BusValue.Of("custom")), ("Mapping", BusValue.Of("power = meter/x /power\nenergy = meter/x /energy"))), [], null);
        string home = Directory.CreateTempSubdirectory("mb-appini-").FullName;
        try
        {
            string? problem = AppIniFile.Write(home, 100, ini, out _);
            Assert.NotNull(problem);
            Assert.StartsWith("Mapping: ", problem);
            Assert.DoesNotContain(home, problem);
            Assert.False(File.Exists(AppIniFile.PathOf(home, 100)));
            Assert.False(File.Exists(AppIniFile.PathOf(home, 100) + ".new"));

            var good = AppIni.Generate(100, Values(("Password", BusValue.Of("secret")), ("Username", BusValue.Of("me"))), [], null);
            Assert.Null(AppIniFile.Write(home, 100, good, out _));
            Assert.Equal(good.Content, AppIniFile.Current(home, 100));
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(AppIniFile.PathOf(home, 100)));
            SettingsLoad load = SettingsLoader.Load(new SettingsInput { ConfigPath = AppIniFile.PathOf(home, 100) });
            Assert.True(load.Ok, string.Join("\n", load.Problems));
            Assert.Equal("secret", load.Settings.Password);
            Assert.Equal(100, load.Settings.DeviceInstance);
        }
        finally { Directory.Delete(home, recursive: true); }
    }

    [Fact]
    public void The_meter_list_reads_ascending_and_skips_what_is_no_instance()
    {
        Assert.Equal([7, 100, 101], MeterSettings.ParseList("101, 100,x,,7,100,-3"));
        Assert.Equal("7,100,101", MeterSettings.ListText([101, 7, 100]));
        Assert.Equal("", MeterSettings.ListText([]));
    }
}
