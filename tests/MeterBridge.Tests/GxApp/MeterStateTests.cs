using MeterBridge.GxApp;
using MeterBridge.Items;
using MeterBridge.Mqtt;
using Xunit;

namespace MeterBridge.Tests.GxApp;

/// <summary>What a meter tells the app (<c>@state</c> lines, its log) and what <c>/Meters/N/*</c> then show; a config.ini read for import.</summary>
public class MeterStateTests
{
    private static BridgeStatus Status(MeterHealth health) => new(health, "com.victronenergy.grid.mqtt_grid_100", "grid", 100);

    [Fact]
    public void State_lines_are_written_on_a_change_and_on_a_new_kind_of_rejection_only()
    {
        var output = new StringWriter();
        var lines = new StateLines(output, inner: null);
        var waiting = Status(MeterHealth.Waiting);
        Assert.Equal(long.MaxValue, lines.Show(waiting, 0));
        lines.Show(waiting, 1);
        Assert.True(lines.Rejected("power 1e9 W is beyond the threshold", "threshold total power"));
        Assert.False(lines.Rejected("power 2e9 W is beyond the threshold", "threshold total power")); // the same kind: no wake-up
        lines.Show(waiting, 2);
        lines.Show(Status(MeterHealth.Fresh), 3);
        lines.Show(Status(MeterHealth.Fresh), 4); // equal: nothing new
        string[] written = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, written.Length);
        Assert.All(written, line => Assert.StartsWith(StateLines.Prefix + "{\"state\":", line));
        Assert.Contains("\"last_rejected\":\"power 2e9 W is beyond the threshold\"", written[1]);
        Assert.Contains("\"state\":\"fresh\"", written[2]);
    }

    private static MeterSlot Running()
    {
        var slot = new MeterSlot(100);
        slot.Started();
        slot.Child = (MeterChild)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(MeterChild)); // never started: only "there is one"
        return slot;
    }

    [Fact]
    public void A_meter_shows_waiting_then_fresh_with_its_service()
    {
        var slot = Running();
        Assert.Equal(("waiting", "", ""), slot.Shown());
        slot.OnState("""{"state":"fresh","service":"com.victronenergy.grid.mqtt_grid_100","role":"grid","device_instance":100,"last_rejected":null}""");
        Assert.Equal(("fresh", "", "com.victronenergy.grid.mqtt_grid_100"), slot.Shown());
    }

    [Fact]
    public void Refused_messages_while_none_is_accepted_show_rejected_with_the_reason()
    {
        var slot = Running();
        slot.OnState("""{"state":"waiting","service":"s","last_rejected":null}""");
        slot.OnState("""{"state":"waiting","service":"s","last_rejected":"no mapped value"}""");
        Assert.Equal(("rejected", "no mapped value", ""), slot.Shown());
        slot.OnState("""{"state":"fresh","service":"s","last_rejected":"no mapped value"}""");
        Assert.Equal(("fresh", "", "s"), slot.Shown());
    }

    [Fact]
    public void The_brokers_error_in_runs_words_is_the_reason_until_it_connects()
    {
        var slot = Running();
        slot.OnLogLine("WARNING cannot connect to 127.0.0.1:1883: connection refused; retrying");
        Assert.Equal(("broker", "cannot connect to 127.0.0.1:1883: connection refused; retrying", ""), slot.Shown());
        slot.OnLogLine("INFO connected to 127.0.0.1:1883, subscribed to x");
        Assert.Equal("waiting", slot.Shown().State);
    }

    [Fact]
    public void A_refused_setting_wins_and_an_exited_meter_says_how_it_ended()
    {
        var slot = Running();
        slot.SettingsProblem = "BrokerPort 70000: is not a port number 1 to 65535";
        Assert.Equal(("settings", "BrokerPort 70000: is not a port number 1 to 65535", ""), slot.Shown());
        slot.SettingsProblem = null;
        slot.OnLogLine("ERROR the D-Bus name x is already taken");
        slot.Child = null;
        slot.Exited(3);
        Assert.Equal(("stopped", "exited with code 3: the D-Bus name x is already taken", ""), slot.Shown());
    }

    [Fact]
    public void A_config_ini_gives_the_settings_its_values_and_keeps_the_rest_for_app_ini()
    {
        var read = ConfigImport.Parse("[DEFAULT]\ndevice_type = acload\ntimeout = 0\n[MQTT]\nbroker_port = 1884\ntls_enabled = yes\npassword = a%%b\nformat = custom\n" +
            "channel = x\n[MAPPING]\npower = t /p\n  t2 /p\nvoltage = t /u\n", "config.ini");
        Assert.Equal(BusValue.Of(1884), read.Values["BrokerPort"]);
        Assert.Equal(BusValue.Of(1), read.Values["TlsEnabled"]);
        Assert.Equal(BusValue.Of("a%b"), read.Values["Password"]);
        Assert.Equal(BusValue.Of(0.0), read.Values["Timeout"]);
        Assert.Equal(BusValue.Of("power = t /p\npower = t2 /p\nvoltage = t /u"), read.Values["Mapping"]);
        Assert.False(read.Values.ContainsKey("Channel"));
        Assert.Equal("config.ini:9: channel = \"x\": not imported (not a number the setting takes)", Assert.Single(read.Problems));
        Assert.Equal([new CarriedKey("device_type", "acload")], read.Carried);

        // A key with several rules goes back into app.ini as one key with continuation lines.
        var ini = AppIni.Generate(100, read.Values, read.Carried, null);
        Assert.Contains("[MAPPING]\npower = t /p\n    t2 /p\nvoltage = t /u\n", ini.Content);
        Assert.Contains("device_type = acload", ini.Content);
    }
}
