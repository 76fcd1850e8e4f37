using Xunit;
using System.Text.RegularExpressions;
using MeterBridge.Config;
using MeterBridge.Config.Ini;
using MeterBridge.Logging;

namespace MeterBridge.Tests.Config;

public sealed class SettingsLoaderTests : IDisposable
{
    private readonly ConfigTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private SettingsLoad Load(string? ini, Dictionary<string, string>? flags = null, string? passwordFile = null, string? envPassword = null)
    {
        string? path = ini is null ? null : _files.Write("config.ini", ini);
        return SettingsLoader.Load(new SettingsInput
        {
            ConfigPath = path,
            Flags = flags ?? [],
            PasswordFile = passwordFile,
            EnvironmentPassword = envPassword,
            BinaryDirectory = _files.Folder,
        });
    }

    private string Problem(string ini) => Assert.Single(Load(ini).Problems);

    [Fact]
    public void Without_file_or_flags_everything_is_the_default()
    {
        SettingsLoad load = Load(null);
        Assert.True(load.Ok);
        Assert.Equal(new Settings(), load.Settings);
        Assert.All(load.Origins.Values, o => Assert.Equal("default", o.Source));
        Assert.Null(load.ConfigFile);
    }

    [Fact]
    public void Flag_wins_over_file_which_wins_over_default()
    {
        SettingsLoad load = Load(
            "[DEFAULT]\ntimeout = 30\nvoltage = 240\ndevice_type = genset\n[MQTT]\nbroker_address = file.host\nbroker_port = 1884\n",
            new() { ["timeout"] = "5", ["broker_address"] = "flag.host", ["qos"] = "1" });
        Settings s = load.Settings;
        Assert.True(load.Ok);
        Assert.Equal(5, s.Timeout);               // flag over file
        Assert.Equal("flag.host", s.BrokerAddress);
        Assert.Equal(1, s.Qos);                   // flag over default
        Assert.Equal(240, s.Voltage);             // file over default
        Assert.Equal(Role.Genset, s.DeviceType);
        Assert.Equal(1884, s.BrokerPort);
        Assert.Equal(50, s.Frequency);            // default
        Assert.Equal("--timeout", load.Origins["timeout"].Source);
        Assert.EndsWith("config.ini:3", load.Origins["voltage"].Source);
        Assert.Equal("default", load.Origins["frequency"].Source);
    }

    [Fact]
    public void Config_ini_beside_the_binary_is_used_when_no_config_flag_is_given()
    {
        _files.Write("config.ini", "[MQTT]\ntopic = beside/binary\n");
        SettingsLoad load = SettingsLoader.Load(new SettingsInput { BinaryDirectory = _files.Folder });
        Assert.Equal("beside/binary", load.Settings.Topic);
        Assert.Equal(Path.Combine(_files.Folder, "config.ini"), load.ConfigFile);
    }

    [Fact]
    public void Mqtt_keys_may_stand_in_default_as_with_configparser()
    {
        SettingsLoad load = Load("[DEFAULT]\nbroker_address = d.host\ntimeout_action = zero\n");
        Assert.True(load.Ok);
        Assert.Equal("d.host", load.Settings.BrokerAddress);
        Assert.Equal(TimeoutAction.Zero, load.Settings.TimeoutAction);
        Assert.Empty(load.Warnings);
    }

    [Fact]
    public void Own_keys_are_read_from_mqtt_too()
    {
        SettingsLoad load = Load("[MQTT]\ntimeout_action = invalidate\nmqtt_version = 5\nqos = 1\nkeepalive = 0\n" +
                                 "dbus_address = unix:path=/tmp/bus\nproperties_changed = yes\nmax_payload_size = 1024\n");
        Settings s = load.Settings;
        Assert.True(load.Ok, string.Join("\n", load.Problems));
        Assert.Equal(TimeoutAction.Invalidate, s.TimeoutAction);
        Assert.Equal("5", s.MqttVersion);
        Assert.Equal(1, s.Qos);
        Assert.Equal(0, s.Keepalive);
        Assert.Equal("unix:path=/tmp/bus", s.DbusAddress);
        Assert.True(s.PropertiesChanged);
        Assert.Equal(1024, s.MaxPayloadSize);
    }

    [Fact]
    public void Booleans_take_the_usual_words_and_zero_is_off()
    {
        foreach ((string text, bool expected) in new[] { ("1", true), ("true", true), ("Yes", true), ("ON", true), ("0", false), ("false", false), ("no", false), ("off", false) })
        {
            SettingsLoad load = Load($"[MQTT]\ntls_enabled = 1\ntls_insecure = {text}\n");
            Assert.True(load.Ok);
            Assert.Equal(expected, load.Settings.TlsInsecure);
        }
    }

    [Fact]
    public void Numbers_use_the_invariant_culture()
    {
        SettingsLoad load = Load("[DEFAULT]\nvoltage = 229.5\nfrequency = 5e1\n");
        Assert.Equal(229.5, load.Settings.Voltage);
        Assert.Equal(50, load.Settings.Frequency);
        Assert.Single(Load("[DEFAULT]\nvoltage = 229,5\n").Problems);
    }

    [Theory]
    [InlineData("[DEFAULT]\ntimeout = abc\n", "config.ini:2: timeout = \"abc\" is not a number of seconds (0 or more)")]
    [InlineData("[DEFAULT]\ntimeout = -1\n", "config.ini:2: timeout = \"-1\" is not a number of seconds (0 or more)")]
    [InlineData("[DEFAULT]\n\ndevice_type = foo\n", "config.ini:3: device_type = \"foo\" is not one of grid, genset, acload, heatpump, pvinverter")]
    [InlineData("[MQTT]\nbroker_port = 70000\n", "config.ini:2: broker_port = \"70000\" is not a port number 1 to 65535")]
    [InlineData("[MQTT]\nqos = 2\n", "config.ini:2: qos = \"2\" is not a QoS of 0 or 1")]
    [InlineData("[DEFAULT]\nvoltage = 0\n", "config.ini:2: voltage = \"0\" is not a voltage above 0")]
    [InlineData("[DEFAULT]\nfrequency = NaN\n", "config.ini:2: frequency = \"NaN\" is not a frequency above 0")]
    [InlineData("[DEFAULT]\npower_threshold_per_phase = -5\n", "config.ini:2: power_threshold_per_phase = \"-5\" is not a power in watts above 0")]
    [InlineData("[DEFAULT]\ndevice_instance = 1.5\n", "config.ini:2: device_instance = \"1.5\" is not a whole number 0 or more")]
    [InlineData("[DEFAULT]\nlogging = LOUD\n", "config.ini:2: logging = \"LOUD\" is not DEBUG, INFO, WARNING or ERROR")]
    [InlineData("[MQTT]\ntls_enabled = maybe\n", "config.ini:2: tls_enabled = \"maybe\" is not a yes/no value (1/true/yes/on or 0/false/no/off)")]
    [InlineData("[MQTT]\ntopic =\n", "config.ini:2: topic = \"\" is empty: the topic to subscribe to is required")]
    [InlineData("[MQTT]\ntopic = a/#/b\n", "config.ini:2: topic = \"a/#/b\" is not a valid topic filter: '#' must be a whole level and the last one")]
    [InlineData("[MQTT]\ntopic = a/b+\n", "config.ini:2: topic = \"a/b+\" is not a valid topic filter: '+' must be a whole level")]
    [InlineData("[MQTT]\nbroker_address = my host\n", "config.ini:2: broker_address = \"my host\" is not a host name or IP address")]
    [InlineData("[MQTT]\ntimeout_action = explode\n", "config.ini:2: timeout_action = \"explode\" is not remove, zero, invalidate or exit")]
    [InlineData("[MQTT]\nmqtt_version = 4\n", "config.ini:2: mqtt_version = \"4\" is not 3.1.1 or 5")]
    [InlineData("[MQTT]\nkeepalive = 70000\n", "config.ini:2: keepalive = \"70000\" is not a whole number of seconds 0 to 65535")]
    [InlineData("[MQTT]\nmax_payload_size = 0\n", "config.ini:2: max_payload_size = \"0\" is not a number of bytes 1 to 12582912 (the most the bridge's 32 MiB heap holds)")]
    [InlineData("[MQTT]\nmax_payload_size = 12582913\n", "config.ini:2: max_payload_size = \"12582913\" is not a number of bytes 1 to 12582912 (the most the bridge's 32 MiB heap holds)")]
    [InlineData("[MQTT]\ndbus_address = /run/dbus/socket\n", "config.ini:2: dbus_address = \"/run/dbus/socket\" is not a D-Bus address like unix:path=/run/dbus/system_bus_socket")]
    [InlineData("[MQTT]\nproperties_changed = 2\n", "config.ini:2: properties_changed = \"2\" is not a yes/no value (1/true/yes/on or 0/false/no/off)")]
    [InlineData("[DEFAULT]\ntimeout = 5\n  6\n", "config.ini:2: timeout = \"5\\n6\" goes on over several lines (an indented line continues the value above it)")]
    [InlineData("[MQTT]\nusername = bob\n  topic = a/b\n", "config.ini:2: username = \"bob\\ntopic = a/b\" goes on over several lines (an indented line continues the value above it)")]
    public void ABadValueIsOneLineNamingFileLineKeyAndValue(string ini, string expected)
    {
        string problem = Problem(ini);
        Assert.Equal(Path.Combine(_files.Folder, expected), problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void A_bad_interpolation_names_the_raw_value()
    {
        string problem = Problem("[DEFAULT]\ndevice_name = 50%off\n");
        Assert.StartsWith(Path.Combine(_files.Folder, "config.ini:2: device_name = \"50%off\": '%' must be followed by"), problem);
    }

    [Fact]
    public void Every_problem_is_collected_in_line_order_then_flags()
    {
        SettingsLoad load = Load("[MQTT]\nbroker_port = 0\nnonsense line\n[DEFAULT]\ntimeout = abc\ndevice_type = foo\n",
            new() { ["qos"] = "7", ["voltage"] = "x" });
        string f = Path.Combine(_files.Folder, "config.ini");
        Assert.Equal(
        [
            $"{f}:3: \"nonsense line\" is not \"key = value\", a [section] header or a comment",
            $"{f}:2: broker_port = \"0\" is not a port number 1 to 65535",
            $"{f}:5: timeout = \"abc\" is not a number of seconds (0 or more)",
            $"{f}:6: device_type = \"foo\" is not one of grid, genset, acload, heatpump, pvinverter",
            "--voltage \"x\" is not a voltage above 0",
            "--qos \"7\" is not a QoS of 0 or 1",
        ], load.Problems);
    }

    [Fact]
    public void A_file_value_that_a_flag_replaces_is_not_read_but_its_line_must_be_well_formed()
    {
        SettingsLoad load = Load("[DEFAULT]\ntimeout = abc\nvoltage = 5\n  6\n", new() { ["timeout"] = "5", ["voltage"] = "230" });
        Assert.True(load.Ok, string.Join("\n", load.Problems));
        Assert.Equal(5, load.Settings.Timeout);
        Assert.Equal("--timeout", load.Origins["timeout"].Source);

        SettingsLoad duplicate = Load("[DEFAULT]\ntimeout = abc\ntimeout = 1\n", new() { ["timeout"] = "5" });
        Assert.EndsWith("config.ini:3: timeout appears a second time in [DEFAULT]", Assert.Single(duplicate.Problems));
    }

    [Fact]
    public void A_file_password_that_another_source_replaces_is_not_read()
    {
        string file = _files.Write("pw", "from-file\n");
        Assert.True(Load("[MQTT]\npassword = 50%off\n", envPassword: "from-env").Ok);
        Assert.True(Load("[MQTT]\npassword = 50%off\n", passwordFile: file).Ok);
        Assert.True(Load("[MQTT]\npassword = 50%off\n", new() { ["password"] = "p" }).Ok);
        Assert.Single(Load("[MQTT]\npassword = 50%off\n", envPassword: "").Problems);
    }

    [Theory]
    [InlineData("[MQTT]\npassword = abc%def\n")]
    [InlineData("[MQTT]\npassword = abc%(hunter)s\n")]
    [InlineData("[MQTT]\npassword hunter2\n")]
    [InlineData("password = hunter2\n[MQTT]\n")]
    [InlineData("[MQTT]\nusername = bob\n  password = hunter2\n")]
    [InlineData("[MQTT]\nusername =\n  password = hunter2\n")]
    [InlineData("[MQTT]\npassword = hunter2\n  more\n")]
    [InlineData("[MQTT]\npassword = hunter2\npassword = hunter2\n")]
    public void APasswordIsNeverInAProblemOrWarning(string ini)
    {
        SettingsLoad load = Load(ini.Replace("abc%def", "hunter2%").Replace("%(hunter)s", "hunter2%(hunter2)s"));
        Assert.False(load.Ok);
        Assert.All(load.Problems.Concat(load.Warnings), line => Assert.DoesNotContain("hunter2", line));
        Assert.All(load.Problems, line => Assert.Contains("config.ini:", line));
    }

    [Fact]
    public void A_config_that_is_not_utf8_is_refused_naming_the_line()
    {
        string path = Path.Combine(_files.Folder, "latin1.ini");
        File.WriteAllBytes(path, [.. "[DEFAULT]\r\ndevice_name = Gara"u8, 0xE9, .. "ge\n"u8]);
        SettingsLoad load = SettingsLoader.Load(new SettingsInput { ConfigPath = path });
        Assert.Equal($"{path}:2: is not UTF-8 text (byte 0xE9): save the file as UTF-8", Assert.Single(load.Problems));
    }

    [Fact]
    public void A_config_far_larger_than_any_config_is_refused_in_one_line()
    {
        string path = Path.Combine(_files.Folder, "huge.ini");
        File.WriteAllText(path, "[DEFAULT]\n" + new string('x', ConfigFileText.MaxBytes));
        SettingsLoad load = SettingsLoader.Load(new SettingsInput { ConfigPath = path });
        Assert.Equal($"--config \"{path}\" is larger than 256 KiB (the wrong file?)", Assert.Single(load.Problems));
    }

    [Fact]
    public void A_missing_config_file_is_a_problem_naming_it()
    {
        string path = Path.Combine(_files.Folder, "nope.ini");
        SettingsLoad load = SettingsLoader.Load(new SettingsInput { ConfigPath = path, BinaryDirectory = _files.Folder });
        Assert.Equal($"--config \"{path}\" does not exist", Assert.Single(load.Problems));
    }

    [Fact]
    public void A_directory_given_as_config_is_a_problem()
    {
        SettingsLoad load = SettingsLoader.Load(new SettingsInput { ConfigPath = _files.Folder });
        Assert.Contains("is a directory", Assert.Single(load.Problems));
    }

    [Fact]
    public void Status_topic_follows_the_device_instance_until_set_and_empty_turns_it_off()
    {
        Assert.Equal("meterbridge/100", new Settings().StatusTopic);
        Assert.Equal("meterbridge/7", Load("[DEFAULT]\ndevice_instance = 7\n").Settings.StatusTopic);
        Assert.Equal("home/gx", Load("[MQTT]\nstatus_topic = home/gx\n", new() { ["device_instance"] = "7" }).Settings.StatusTopic);
        SettingsLoad off = Load("[MQTT]\nstatus_topic =\nha_discovery = 1\n");
        Assert.True(off.Ok);
        Assert.Equal("", off.Settings.StatusTopic);
        Assert.Contains(off.Warnings, w => w.Contains("ha_discovery") && w.Contains("no effect while status_topic is empty"));
    }

    [Theory]
    [InlineData("home/+/x")]
    [InlineData("home/#")]
    [InlineData("home/")]
    public void Status_topic_is_a_topic_name_not_a_filter(string topic) =>
        Assert.Contains("status_topic = \"" + topic + "\" is not a topic name", Problem($"[MQTT]\nstatus_topic = {topic}\n"));

    [Fact]
    public void A_subscription_that_reads_the_status_topic_is_a_warning()
    {
        SettingsLoad load = Load("[MQTT]\ntopic = #\n");
        Assert.True(load.Ok);
        Assert.Contains(load.Warnings, w => w.Contains("the subscription to # reads the bridge's own status"));
        Assert.Empty(Load("[MQTT]\ntopic = #\nstatus_topic =\n").Warnings);
    }

    [Fact]
    public void Unknown_keys_and_sections_are_warnings_not_problems()
    {
        SettingsLoad load = Load("[DEFAULT]\ntimeuot = 5\n[MQTT]\ntopic = t\nbroker = x\ntimeout = 9\n[Extra]\na = 1\n");
        string f = Path.Combine(_files.Folder, "config.ini");
        Assert.True(load.Ok);
        Assert.Equal(
        [
            $"{f}:2: unknown key timeuot in [DEFAULT] is ignored",
            $"{f}:5: unknown key broker in [MQTT] is ignored",
            $"{f}:6: timeout is read from [DEFAULT] only (as the Python driver does); this one in [MQTT] is ignored",
            $"{f}:7: section [Extra] is not used (keys go in [DEFAULT] and [MQTT])",
        ], load.Warnings);
        Assert.Equal(60, load.Settings.Timeout);
    }

    [Fact]
    public void Thousands_of_unknown_keys_give_a_short_list()
    {
        SettingsLoad load = Load("[DEFAULT]\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"k{i} = v\n")));
        Assert.True(load.Ok);
        Assert.Equal(IniFile.MaxErrors + 1, load.Warnings.Count);
        Assert.EndsWith("config.ini: more unused keys are not listed", load.Warnings[^1]);
    }

    [Fact]
    public void Password_flag_wins_over_everything()
    {
        string file = _files.Write("pw", "from-file\n");
        SettingsLoad load = Load("[MQTT]\npassword = from-config\n", new() { ["password"] = "from-flag" }, file, "from-env");
        Assert.Equal("from-flag", load.Settings.Password);
        Assert.Equal("--password", load.Origins["password"].Source);
    }

    [Fact]
    public void Password_file_wins_over_environment_and_config_and_only_its_first_line_counts()
    {
        string file = _files.Write("pw", "from-file\r\nsecond line\n");
        SettingsLoad load = Load("[MQTT]\npassword = from-config\n", passwordFile: file, envPassword: "from-env");
        Assert.Equal("from-file", load.Settings.Password);
        Assert.Equal("--password-file " + file, load.Origins["password"].Source);
    }

    [Fact]
    public void Environment_password_wins_over_config()
    {
        SettingsLoad load = Load("[MQTT]\npassword = from-config\n", envPassword: "from-env");
        Assert.Equal("from-env", load.Settings.Password);
        Assert.Equal("MQTT_PASSWORD", load.Origins["password"].Source);
    }

    [Fact]
    public void Config_password_is_used_last_and_percent_is_unescaped()
    {
        SettingsLoad load = Load("[MQTT]\nusername = u\npassword = pa%%ss\n", envPassword: "");
        Assert.Equal("pa%ss", load.Settings.Password);
    }

    [Fact]
    public void A_missing_or_empty_password_file_is_a_problem()
    {
        string missing = Path.Combine(_files.Folder, "nope");
        Assert.Equal($"--password-file \"{missing}\" does not exist", Assert.Single(Load(null, passwordFile: missing).Problems));
        string empty = _files.Write("empty", "\nsecond");
        Assert.Contains("empty first line", Assert.Single(Load(null, passwordFile: empty).Problems));
    }

    [Fact]
    public void Bad_flag_values_name_the_flag()
    {
        SettingsLoad load = Load(null, new() { ["broker_port"] = "http", ["device_type"] = "foo", ["tls_insecure"] = "2" });
        Assert.Equal(
        [
            "--device-type \"foo\" is not one of grid, genset, acload, heatpump, pvinverter",
            "--broker-port \"http\" is not a port number 1 to 65535",
            "--tls-insecure \"2\" is not a yes/no value (1/true/yes/on or 0/false/no/off)",
        ], load.Problems);
    }

    [Fact]
    public void A_client_certificate_needs_its_key()
    {
        SettingsLoad load = Load("[MQTT]\ntls_client_cert = /c.pem\n");
        Assert.EndsWith("config.ini:2: tls_client_cert = \"/c.pem\" needs tls_client_key too", Assert.Single(load.Problems));
    }

    [Fact]
    public void Tls_files_must_exist_when_tls_is_enabled_and_are_ignored_with_a_warning_otherwise()
    {
        string missing = Path.Combine(_files.Folder, "ca.crt");
        SettingsLoad on = Load($"[MQTT]\ntls_enabled = 1\ntls_path_to_ca = {missing}\n");
        Assert.EndsWith($"config.ini:3: tls_path_to_ca = \"{missing}\" is not an existing file", Assert.Single(on.Problems));

        SettingsLoad off = Load($"[MQTT]\ntls_path_to_ca = {missing}\ntls_insecure = 1\n");
        Assert.True(off.Ok);
        Assert.Equal(2, off.Warnings.Count);

        string present = _files.Write("ca.pem", "x");
        Assert.True(Load($"[MQTT]\ntls_enabled = 1\ntls_path_to_ca = {present}\n").Ok);
    }

    [Fact]
    public void The_python_drivers_sample_loads_with_the_sample_placeholder_as_a_warning()
    {
        SettingsLoad load = SettingsLoader.Load(new SettingsInput { ConfigPath = ConfigTestFiles.PythonSample });
        Assert.True(load.Ok, string.Join("\n", load.Problems));
        Settings s = load.Settings;
        Assert.Equal(LogLevel.Warning, s.Logging);
        Assert.Equal(31, s.DeviceInstance);
        Assert.Equal("IP_ADDR_OR_FQDN", s.BrokerAddress);
        Assert.Equal("enphase/envoy-s/meters", s.Topic);
        Assert.False(s.TlsEnabled);
        Assert.Contains("placeholder", Assert.Single(load.Warnings));
    }

    [Fact]
    public void Our_sample_loads_cleanly_and_matches_the_defaults()
    {
        SettingsLoad load = SettingsLoader.Load(new SettingsInput { ConfigPath = ConfigTestFiles.OwnSample });
        Assert.True(load.Ok, string.Join("\n", load.Problems));
        Assert.Empty(load.Warnings);
        // The counters file's default is beside the config file read.
        Assert.Equal(new Settings { EnergyFile = Path.Combine(Path.GetDirectoryName(ConfigTestFiles.OwnSample)!, "energy.json") }, load.Settings);
    }

    [Fact]
    public void Our_sample_documents_every_key_with_its_default()
    {
        string[] lines = File.ReadAllLines(ConfigTestFiles.OwnSample);
        var defaults = new Settings();
        foreach (ConfigKey key in ConfigKeys.All)
        {
            int at = Array.FindIndex(lines, l => Regex.IsMatch(l, $"^;?{key.Name} = "));
            Assert.True(at > 0, key.Name + " is not in config.sample.ini");
            int start = at;
            while (start > 0 && lines[start - 1].StartsWith(';'))
                start--;
            string comment = string.Join("\n", lines[start..at]);
            Assert.True(comment.Length > 0, key.Name + " has no comment");
            string shown = key.Show(defaults);
            if (shown.Length > 0)
                Assert.Matches($"default[^:\\n]*: {Regex.Escape(shown)}", comment);
        }
    }
}
