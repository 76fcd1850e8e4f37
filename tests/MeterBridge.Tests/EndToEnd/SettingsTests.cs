using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// The meter with a settings service on the bus, as on a GX: the VRM instance it allocates, role, name and position
/// changed from the GUI (SetValue on the setting, with gdbus) and on the meter, and all of it after a restart.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SettingsTests
{
    private const string Settings = TestSettingsService.Name;
    private const string Prefix = "/Settings/Devices/mqtt_40";
    private const string ClassAndVrmInstance = Prefix + "/ClassAndVrmInstance";
    private const string CustomName = Prefix + "/CustomName";
    private const string Position = Prefix + "/Position";
    private const string AcLoad = "com.victronenergy.acload.mqtt_acload_40";
    private const string HeatPump = "com.victronenergy.heatpump.mqtt_heatpump_40";
    private static readonly TimeSpan Follow = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Reregister = TimeSpan.FromSeconds(5);

    [Fact]
    public void The_settings_service_allocates_the_VRM_instance_and_the_service_name_keeps_the_configured_one()
    {
        using var rig = new Rig();
        // Another meter already is grid:40 and grid:41.
        using var settings = new TestSettingsService(rig.Bus.Address, new Dictionary<string, object>
        {
            ["/Settings/Devices/cgwacs_ttyUSB0_mb1/ClassAndVrmInstance"] = "grid:40",
            ["/Settings/Devices/other/ClassAndVrmInstance"] = "grid:41",
        });
        var bridge = StartOnTheBus(rig, 250.0);
        rig.AssertValue("/DeviceInstance", "(<42>,)");
        rig.AssertValue("/Serial", "(<'mqtt_40'>,)");
        Assert.Equal("grid:42", settings.Get(ClassAndVrmInstance));
        Assert.Equal("MQTT Grid", settings.Get(CustomName));
        Assert.Equal(0, settings.Get(Position));
        // What the GUI sees in the settings service, through a client nobody here wrote.
        Assert.Equal("(<'grid:42'>,)", rig.Call(Settings, ClassAndVrmInstance, "GetValue").Stdout.Trim());
        Assert.Contains(bridge.Lines, line => line.Contains("settings in com.victronenergy.settings under /Settings/Devices/mqtt_40: grid:42"));
    }

    [Fact]
    public void A_new_VRM_instance_and_a_new_name_in_the_settings_show_within_2_s()
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address);
        var bridge = StartOnTheBus(rig, 250.0);
        rig.AssertValue("/DeviceInstance", "(<40>,)");

        Assert.Equal("(0,)", rig.Call(Settings, ClassAndVrmInstance, "SetValue", "<'grid:47'>").Stdout.Trim());
        rig.WaitForValue("/DeviceInstance", "(<47>,)", Follow, bridge);

        Assert.Equal("(0,)", rig.Call(Settings, CustomName, "SetValue", "<'Main meter'>").Stdout.Trim());
        rig.WaitForValue("/CustomName", "(<'Main meter'>,)", Follow, bridge);
        Assert.True(rig.OnBus(), "the service name changed with the instance");

        // Values keep flowing under the same name.
        rig.Publish("""{"grid":{"power":260.0}}""");
        rig.WaitForValue("/Ac/Power", "(<260.0>,)", bridge: bridge);
    }

    [Fact]
    public void A_name_written_on_the_meter_is_stored_in_the_settings()
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address);
        var bridge = StartOnTheBus(rig, 250.0);
        rig.AssertValue("/CustomName", "(<'MQTT Grid'>,)");

        Assert.Equal("(0,)", rig.Call(rig.Service, "/CustomName", "SetValue", "<'Shed'>").Stdout.Trim());
        rig.AssertValue("/CustomName", "(<'Shed'>,)");
        WaitForSetting(rig, CustomName, "(<'Shed'>,)", bridge);

        Assert.Equal("(2,)", rig.Call(rig.Service, "/CustomName", "SetValue", $"<'{new string('x', 33)}'>").Stdout.Trim());
        Assert.Equal("Shed", settings.Get(CustomName));
    }

    [Fact]
    public void A_role_chosen_in_the_settings_re_registers_within_5_s_and_survives_a_restart()
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address);
        var bridge = StartOnTheBus(rig, 321.0);

        Assert.Equal("(0,)", rig.Call(Settings, ClassAndVrmInstance, "SetValue", "<'acload:40'>").Stdout.Trim());
        rig.WaitForValue("/Role", "(<'acload'>,)", Reregister, bridge, AcLoad);
        Assert.True(rig.WaitOnBus(false), "the grid service is still on the bus");
        Assert.Equal("(<321.0>,)", rig.GetValue("/Ac/Power", AcLoad));
        // The default name followed the role, and the settings service got it.
        Assert.Equal("(<'MQTT AC Load'>,)", rig.GetValue("/CustomName", AcLoad));
        WaitForSetting(rig, CustomName, "(<'MQTT AC Load'>,)", bridge);

        Assert.Equal("(0,)", rig.Call(AcLoad, "/Position", "SetValue", "<1>").Stdout.Trim());
        WaitForSetting(rig, Position, "(<1>,)", bridge);

        bridge.Terminate();
        Assert.True(bridge.WaitForExit(Rig.Deadline), "the bridge did not stop:\n" + bridge.Log);
        var again = rig.StartBridge();
        rig.Publish("""{"grid":{"power":123.0}}""");
        rig.WaitForValue("/Ac/Power", "(<123.0>,)", bridge: again, service: AcLoad);
        Assert.Equal("(<'acload'>,)", rig.GetValue("/Role", AcLoad));
        Assert.Equal("(<1>,)", rig.GetValue("/Position", AcLoad));
        Assert.Equal("(<40>,)", rig.GetValue("/DeviceInstance", AcLoad));
        Assert.False(rig.OnBus(), "the restarted meter came back as grid");
    }

    [Fact]
    public void A_role_written_on_the_meter_is_stored_in_the_settings()
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address);
        var bridge = StartOnTheBus(rig, 321.0);

        Assert.Equal("(0,)", rig.Call(rig.Service, "/Role", "SetValue", "<'heatpump'>").Stdout.Trim());
        rig.WaitForValue("/Role", "(<'heatpump'>,)", Reregister, bridge, "com.victronenergy.heatpump.mqtt_heatpump_40");
        WaitForSetting(rig, ClassAndVrmInstance, "(<'heatpump:40'>,)", bridge);
        WaitForSetting(rig, CustomName, "(<'MQTT Heat Pump'>,)", bridge);
    }

    [Fact]
    public void A_role_whose_instance_is_taken_gets_the_next_free_one_from_the_settings_service()
    {
        using var rig = new Rig();
        // An AC load meter of Victron's own already is acload:40.
        using var settings = new TestSettingsService(rig.Bus.Address, new Dictionary<string, object>
        {
            ["/Settings/Devices/cgwacs_ttyUSB0_mb2/ClassAndVrmInstance"] = "acload:40",
        });
        var bridge = StartOnTheBus(rig, 321.0);

        Assert.Equal("(0,)", rig.Call(rig.Service, "/Role", "SetValue", "<'acload'>").Stdout.Trim());
        rig.WaitForValue("/DeviceInstance", "(<41>,)", Reregister, bridge, AcLoad);
        Assert.Equal("acload:41", settings.Get(ClassAndVrmInstance));
        Assert.Equal("acload:40", settings.Get("/Settings/Devices/cgwacs_ttyUSB0_mb2/ClassAndVrmInstance"));
    }

    [Fact]
    public void A_settings_service_that_appears_later_is_adopted()
    {
        using var rig = new Rig();
        var bridge = StartOnTheBus(rig, 250.0);
        rig.AssertValue("/DeviceInstance", "(<40>,)");
        Assert.Contains(bridge.Lines, line => line.Contains("no com.victronenergy.settings on D-Bus"));

        // What an earlier run on this GX stored: this meter is an AC load with VRM instance 45 and a name.
        using var settings = new TestSettingsService(rig.Bus.Address, new Dictionary<string, object>
        {
            [ClassAndVrmInstance] = "acload:45",
            [CustomName] = "Boiler",
            [Position] = 1,
        });
        rig.WaitForValue("/DeviceInstance", "(<45>,)", Reregister, bridge, AcLoad);
        Assert.Equal("(<'Boiler'>,)", rig.GetValue("/CustomName", AcLoad));
        Assert.Equal("(<1>,)", rig.GetValue("/Position", AcLoad));
        Assert.Equal("(<250.0>,)", rig.GetValue("/Ac/Power", AcLoad));
        Assert.False(rig.OnBus(), "the grid service is still on the bus");
    }

    [Fact]
    public void A_setting_that_makes_no_sense_is_ignored_with_a_warning()
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address);
        var bridge = StartOnTheBus(rig, 250.0);

        Assert.Equal("(0,)", rig.Call(Settings, ClassAndVrmInstance, "SetValue", "<'toaster:3'>").Stdout.Trim());
        Assert.True(bridge.WaitForLine("ignored a setting: /Settings/Devices/mqtt_40/ClassAndVrmInstance = 'toaster:3'", Follow), bridge.Log);
        rig.AssertValue("/DeviceInstance", "(<40>,)");
        rig.AssertValue("/Role", "(<'grid'>,)");
        Assert.True(bridge.IsRunning);
    }

    [Fact]
    public void A_settings_service_that_answers_AddSettings_after_12_s_still_sets_role_and_name()
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address, EarlierRun) { AddSettingsDelay = TimeSpan.FromSeconds(12) };
        var bridge = rig.StartBridge();
        rig.Publish("""{"grid":{"power":250.0}}""");

        Assert.True(bridge.WaitForLine("com.victronenergy.settings has not answered AddSettings for 10 s; still waiting", TimeSpan.FromSeconds(20)), bridge.Log);
        Assert.False(rig.OnBus(), "the meter registered under the config's role before its settings were loaded");
        WaitForEarlierRun(rig, bridge, TimeSpan.FromSeconds(15));
        Assert.Equal("(<250.0>,)", rig.GetValue("/Ac/Power", AcLoad));
        Assert.Contains(bridge.Lines, line => line.Contains(": acload:45, name 'Boiler', position 1 (answered after 1"));

        // The GUI's later changes are followed.
        settings.AddSettingsDelay = TimeSpan.Zero;
        Assert.Equal("(0,)", rig.Call(Settings, CustomName, "SetValue", "<'Water heater'>").Stdout.Trim());
        rig.WaitForValue("/CustomName", "(<'Water heater'>,)", Follow, bridge, AcLoad);
    }

    [Fact]
    public void An_AddSettings_that_fails_is_sent_again_and_its_values_win()
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address, EarlierRun) { AddSettingsFailures = 1 };
        var bridge = rig.StartBridge();
        rig.Publish("""{"grid":{"power":250.0}}""");

        Assert.True(bridge.WaitForLine("com.victronenergy.settings failed AddSettings for /Settings/Devices/mqtt_40 (", Rig.Deadline), bridge.Log);
        Assert.Contains(bridge.Lines, line => line.Contains("settings are being written") && line.EndsWith("trying again in 10 s"));
        WaitForEarlierRun(rig, bridge, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void A_meter_on_the_bus_keeps_publishing_while_a_returning_settings_service_is_slow_to_answer()
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address);
        var bridge = StartThenStopSettings(rig, settings, 250.0);

        settings.AddSettingsDelay = TimeSpan.FromSeconds(8);
        settings.Start();
        rig.Publish("""{"grid":{"power":260.0}}""");
        rig.WaitForValue("/Ac/Power", "(<260.0>,)", bridge: bridge);
        Assert.True(Loads(bridge) == 1, "the value waited for the returning settings service:\n" + bridge.Log);
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15); Loads(bridge) < 2 && DateTime.UtcNow < deadline;) Thread.Sleep(25);
        Assert.True(Loads(bridge) == 2, "the returning settings service was not loaded:\n" + bridge.Log);
        rig.AssertValue("/Ac/Power", "(<260.0>,)");
    }

    [Fact]
    public void A_settings_service_that_leaves_with_AddSettings_pending_is_loaded_when_it_returns()
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address, EarlierRun) { AddSettingsDelay = TimeSpan.FromSeconds(30) };
        var bridge = rig.StartBridge();
        rig.Publish("""{"grid":{"power":250.0}}""");
        Thread.Sleep(500); // AddSettings is on its way; the stand-in sits on it
        settings.Stop();
        Assert.True(bridge.WaitForLine("com.victronenergy.settings left D-Bus", Rig.Deadline), bridge.Log);

        settings.AddSettingsDelay = TimeSpan.Zero;
        settings.Start();
        WaitForEarlierRun(rig, bridge, Reregister);
        Assert.Single(bridge.Lines, line => line.Contains("settings in com.victronenergy.settings under"));
    }

    [Fact]
    public void Changes_made_on_the_meter_while_the_settings_service_is_away_are_kept_and_saved_when_it_returns()
    {
        using var rig = new Rig();
        using var settings = new TestSettingsService(rig.Bus.Address);
        var bridge = StartThenStopSettings(rig, settings, 321.0);

        Assert.Equal("(0,)", rig.Call(rig.Service, "/CustomName", "SetValue", "<'Shed'>").Stdout.Trim());
        Assert.Equal("(0,)", rig.Call(rig.Service, "/Role", "SetValue", "<'heatpump'>").Stdout.Trim());
        rig.WaitForValue("/Role", "(<'heatpump'>,)", Reregister, bridge, HeatPump);

        settings.Start();
        WaitForSetting(rig, ClassAndVrmInstance, "(<'heatpump:40'>,)", bridge);
        WaitForSetting(rig, CustomName, "(<'Shed'>,)", bridge);
        Assert.Contains(bridge.Lines, line => line.Contains("(kept what was changed on the meter while it was away: ClassAndVrmInstance, CustomName)"));
        Assert.Equal("(<'Shed'>,)", rig.GetValue("/CustomName", HeatPump));
        Assert.Equal("(<'heatpump'>,)", rig.GetValue("/Role", HeatPump));
        Assert.Equal("(<321.0>,)", rig.GetValue("/Ac/Power", HeatPump));
    }

    /// <summary>
    /// A GX at boot: the settings service appears 3 s after the bridge, holding role acload. The meter waits for it
    /// (settings_wait), so it never shows up as a grid meter, whose power ESS would act on.
    /// </summary>
    [Fact]
    public void A_meter_waits_for_a_late_settings_service_and_never_shows_under_the_config_role()
    {
        using var rig = new Rig();
        using var names = Tool.Start("dbus-monitor", "--address", rig.Bus.Address,
            "type='signal',interface='org.freedesktop.DBus',member='NameOwnerChanged'");
        rig.Broker.Publish(Rig.Topic, """{"grid":{"power":250.0}}""", "-r");
        var bridge = rig.StartBridge(extra: ["--settings-wait", "30"]);
        Assert.True(bridge.WaitForLine("waiting up to 30 s for it before registering from the config", Rig.Deadline), bridge.Log);
        Thread.Sleep(3000);
        Assert.False(rig.OnBus(), "registered before the settings service appeared:\n" + bridge.Log);
        using var settings = new TestSettingsService(rig.Bus.Address, EarlierRun);
        WaitForEarlierRun(rig, bridge, Reregister);
        names.Kill();
        string seen = names.StandardOutput.ReadToEnd();
        Assert.Contains("com.victronenergy.acload.mqtt_acload_40", seen);
        Assert.DoesNotContain(rig.Service, seen);
    }

    /// <summary>Without a settings service on the bus the wait ends and the meter registers from its config.</summary>
    [Fact]
    public void A_meter_registers_from_its_config_when_no_settings_service_appears_in_time()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--settings-wait", "1"]);
        rig.Publish("""{"grid":{"power":250.0}}""");
        rig.WaitForValue("/Ac/Power", "(<250.0>,)", Rig.Deadline, bridge);
        Assert.Contains(bridge.Lines, line => line.Contains("did not appear: the meter registers from the config"));
    }

    /// <summary>What an earlier run on this GX stored: this meter is an AC load with VRM instance 45, a name and a position.</summary>
    private static Dictionary<string, object> EarlierRun => new()
    {
        [ClassAndVrmInstance] = "acload:45",
        [CustomName] = "Boiler",
        [Position] = 1,
    };

    /// <summary>Waits until the meter shows what <see cref="EarlierRun"/> stored, with no grid service left on the bus.</summary>
    private static void WaitForEarlierRun(Rig rig, BridgeProcess bridge, TimeSpan timeout)
    {
        rig.WaitForValue("/DeviceInstance", "(<45>,)", timeout, bridge, AcLoad);
        Assert.Equal("(<'Boiler'>,)", rig.GetValue("/CustomName", AcLoad));
        Assert.Equal("(<1>,)", rig.GetValue("/Position", AcLoad));
        Assert.False(rig.OnBus(), "a grid service is on the bus");
    }

    /// <summary>The bridge, with one message published and its power on D-Bus: the meter is registered and has read its settings.</summary>
    private static BridgeProcess StartOnTheBus(Rig rig, double power)
    {
        var bridge = rig.StartBridge();
        string value = power.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        rig.Publish("{\"grid\":{\"power\":" + value + "}}");
        rig.WaitForValue("/Ac/Power", $"(<{value}>,)", bridge: bridge);
        return bridge;
    }

    /// <summary>The meter on the bus with its settings loaded, then the settings service gone (as when localsettings restarts).</summary>
    private static BridgeProcess StartThenStopSettings(Rig rig, TestSettingsService settings, double power)
    {
        var bridge = StartOnTheBus(rig, power);
        settings.Stop();
        Assert.True(bridge.WaitForLine("com.victronenergy.settings left D-Bus", Rig.Deadline), bridge.Log);
        return bridge;
    }

    private static int Loads(BridgeProcess bridge) => bridge.Lines.Count(line => line.Contains("settings in com.victronenergy.settings under"));

    private static void WaitForSetting(Rig rig, string path, string expected, BridgeProcess bridge)
    {
        string? last = null;
        for (var deadline = DateTime.UtcNow + Rig.Deadline; DateTime.UtcNow < deadline; Thread.Sleep(25))
        {
            last = rig.GetValue(path, Settings);
            if (last == expected) return;
        }
        Assert.Fail($"setting {path}: expected {expected}, last saw {last}\nlog:\n{bridge.Log}");
    }
}
