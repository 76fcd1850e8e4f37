using MeterBridge.Tests.EndToEnd;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.GxApp;

/// <summary>
/// The app's meters over their life: a config.ini of the SSH route imported once, every setting kept through a restart of
/// the app and of the settings service, meters added and removed on the control service (never a second copy).
/// </summary>
[Collection(EndToEndCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AppLifecycleTests
{
    private const int N = 101;

    [Fact]
    public void A_config_ini_is_imported_once_and_every_setting_survives_restarts_of_the_app_and_the_settings_service()
    {
        using var rig = new AppRig();
        string folder = Path.Combine(rig.Home, $"meter-{N}");
        Directory.CreateDirectory(folder);
        string config = Path.Combine(folder, "config.ini");
        File.WriteAllText(config, $"[DEFAULT]\ndevice_instance = 40\npower_threshold_per_phase = 9000\n[MQTT]\nbroker_address = 127.0.0.1\nbroker_port = {rig.Broker.Port}\n" +
            "topic = app/imported\ntls_enabled = no\nupdate_interval = 250\npassword = 50%%\nusername = me\n");
        rig.Broker.Publish("app/imported", """{"grid":{"power":321.0}}""", "-r");
        rig.Broker.Publish("app/changed", """{"grid":{"power":654.0}}""", "-r");
        rig.Broker.Publish("app/other", """{"grid":{"power":987.0}}""", "-r");

        var app = rig.StartApp();
        rig.WaitForValue(AppRig.GridService(N), "/Ac/Power", "(<321.0>,)", app);
        Assert.Equal(AppRig.Text($"{N}"), rig.Get(AppRig.Settings, "/Settings/MeterBridge/Meters"));
        Assert.Equal(AppRig.Text($"{N}"), rig.Get(AppRig.Settings, "/Settings/MeterBridge/Imported"));
        Assert.Equal("(<9000.0>,)", rig.Get(AppRig.Settings, AppRig.Setting(N, "PowerThreshold")));
        Assert.Equal("(<0>,)", rig.Get(AppRig.Settings, AppRig.Setting(N, "TlsEnabled")));
        Assert.Equal(AppRig.Text("50%"), rig.Get(AppRig.Settings, AppRig.Setting(N, "Password")));
        string ini = File.ReadAllText(Path.Combine(folder, "app.ini"));
        Assert.Contains("update_interval = 250", ini);      // carried: no setting of its own
        Assert.Contains($"device_instance = {N}", ini);      // the app's, not the file's 40
        Assert.Contains("password = 50%%", ini);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "app.ini")));
        Assert.Contains(app.Lines, l => l.StartsWith($"INFO imported {config}"));

        Assert.Equal("(0,)", rig.Set(AppRig.Settings, AppRig.Setting(N, "Topic"), "<'app/changed'>"));
        rig.WaitForValue(AppRig.GridService(N), "/Ac/Power", "(<654.0>,)", app);
        rig.StopApp(app);
        Assert.False(rig.OnBus(AppRig.GridService(N)));
        Assert.False(rig.OnBus(AppRig.Control));

        // The file changes after its import, the settings service restarts (keeping its values, as on a reboot).
        File.WriteAllText(config, File.ReadAllText(config).Replace("topic = app/imported", "topic = app/other"));
        rig.SettingsService.Stop();
        rig.SettingsService.Start();
        app = rig.StartApp();
        rig.WaitForValue(AppRig.GridService(N), "/Ac/Power", "(<654.0>,)", app);
        Assert.Equal(AppRig.Text("app/changed"), rig.Get(AppRig.Settings, AppRig.Setting(N, "Topic")));
        Assert.DoesNotContain(app.Lines, l => l.StartsWith("INFO imported"));

        // The settings service restarts under a running app: nothing changes, and a change after it is followed.
        string? owner = rig.Owner(AppRig.GridService(N));
        rig.SettingsService.Stop();
        Assert.True(app.WaitForLine("left D-Bus", AppRig.Deadline), app.Log);
        rig.SettingsService.Start();
        Assert.True(app.WaitForLine("is there: meters", AppRig.Deadline), app.Log);
        Thread.Sleep(500);
        Assert.Equal(owner, rig.Owner(AppRig.GridService(N))); // not restarted
        Assert.Equal("(0,)", rig.Set(AppRig.Settings, AppRig.Setting(N, "Topic"), "<'app/other'>"));
        rig.WaitForValue(AppRig.GridService(N), "/Ac/Power", "(<987.0>,)", app);

        // Removed, it is not imported again on the next start.
        Assert.Equal("(0,)", rig.Set(AppRig.Control, "/Meters/Remove", $"<int32 {N}>"));
        Assert.True(AppRig.WaitFor(() => !rig.OnBus(AppRig.GridService(N))), app.Log);
        rig.StopApp(app);
        app = rig.StartApp();
        rig.WaitForValue(AppRig.Control, "/Meters", AppRig.Text(""), app);
        Assert.Equal(AppRig.Text(""), rig.Get(AppRig.Settings, "/Settings/MeterBridge/Meters"));
        Assert.Equal(0, rig.MeterProcesses(N));
        Assert.Equal("topic = app/other", File.ReadAllLines(config).Single(l => l.StartsWith("topic"))); // never written
    }

    [Fact]
    public void Meters_are_added_and_removed_on_the_control_service_and_a_removed_one_leaves_the_bus_with_no_copy_left()
    {
        using var rig = new AppRig(port => AppRig.Meter(100, port, "app/one"));
        rig.Broker.Publish("app/one", """{"grid":{"power":100.0}}""", "-r");
        rig.Broker.Publish("enphase/envoy-s/meters", """{"grid":{"power":200.0}}""", "-r");
        var app = rig.StartApp();
        rig.WaitForValue(AppRig.GridService(100), "/Ac/Power", "(<100.0>,)", app);

        // The answers of docs/dbus.md: 0 taken, 1 not an int, 2 refused.
        Assert.Equal("(2,)", rig.Set(AppRig.Control, "/Meters/Add", "<int32 100>"));
        Assert.Equal("(2,)", rig.Set(AppRig.Control, "/Meters/Add", "<int32 -5>"));
        Assert.Equal("(1,)", rig.Set(AppRig.Control, "/Meters/Add", "<'102'>"));
        Assert.Equal("(2,)", rig.Set(AppRig.Control, "/Meters/Remove", "<int32 102>"));
        Assert.Equal("(1,)", rig.Set(AppRig.Control, "/Meters", "<'1,2'>"));
        Assert.Equal("(2,)", rig.Set(AppRig.Control, "/Detect/Apply", "<int32 0>"));

        Assert.Equal("(0,)", rig.Set(AppRig.Control, "/Meters/Add", "<int32 102>"));
        rig.WaitForValue(AppRig.Control, "/Meters", AppRig.Text("100,102"), app);
        Assert.Equal("(<-1>,)", rig.ControlValue("/Meters/Add"));
        // Default settings: 127.0.0.1:1883 is no broker here, which the meter says in run's words.
        rig.WaitForValue(AppRig.Control, "/Meters/102/State", AppRig.Text("broker"), app);
        Assert.Contains("cannot connect to 127.0.0.1:1883", rig.ControlValue("/Meters/102/Reason"));
        Assert.Equal("(0,)", rig.Set(AppRig.Settings, AppRig.Setting(102, "BrokerPort"), $"<int32 {rig.Broker.Port}>"));
        rig.WaitForValue(AppRig.GridService(102), "/Ac/Power", "(<200.0>,)", app);
        rig.WaitForValue(AppRig.Control, "/Meters/102/State", AppRig.Text("fresh"), app);
        var items = Tool.Run("gdbus", "call", "--address", rig.Bus.Address, "--dest", AppRig.Control, "--object-path", "/", "--method", "com.victronenergy.BusItem.GetItems").Stdout;
        foreach (string path in (string[])["/Mgmt/ProcessName", "/DeviceInstance", "/Connected", "/Meters", "/Meters/Add", "/Meters/Remove", "/Meters/100/State",
            "/Meters/102/Reason", "/Meters/102/Service", "/Detect/Start", "/Detect/Stop", "/Detect/State", "/Detect/Meter", "/Detect/SecondsLeft", "/Detect/Error", "/Detect/Result", "/Detect/Apply"])
            Assert.Contains($"'{path}'", items);
        var tree = Tool.Run("busctl", "--address=" + rig.Bus.Address, "tree", AppRig.Control);
        Assert.Contains("/Meters/102/State", tree.Stdout);
        var meters = Tool.Run("gdbus", "introspect", "--address", rig.Bus.Address, "--dest", AppRig.Control, "--object-path", "/Meters");
        Assert.Contains("node Add", meters.Stdout);   // /Meters is the list and the node of /Meters/Add and /Meters/N/… at once
        Assert.Contains("node 102", meters.Stdout);
        Assert.Contains("SetValue", meters.Stdout);

        Assert.Equal("(0,)", rig.Set(AppRig.Control, "/Meters/Remove", "<int32 102>"));
        rig.WaitForValue(AppRig.Control, "/Meters", AppRig.Text("100"), app);
        Assert.True(AppRig.WaitFor(() => !rig.OnBus(AppRig.GridService(102))), app.Log);
        Assert.True(AppRig.WaitFor(() => rig.MeterProcesses(102) == 0), "meter 102 still runs");
        Assert.Equal(1, rig.MeterProcesses(100));
        Assert.Equal("(<[int32]>,)".Replace("[int32]", "@ai []"), rig.ControlValue("/Meters/102/State")); // withdrawn: invalid
        Assert.Contains(app.Lines, l => l == "INFO meter 102 removed: stopped (its settings stay)");

        // Added again, it starts on fresh defaults (its settings reset).
        Assert.Equal("(0,)", rig.Set(AppRig.Control, "/Meters/Add", "<int32 102>"));
        rig.WaitForValue(AppRig.Control, "/Meters/102/State", AppRig.Text("broker"), app);
        Assert.Equal("(<1883>,)", rig.Get(AppRig.Settings, AppRig.Setting(102, "BrokerPort")));
        Assert.Equal(1, rig.MeterProcesses(102));
        rig.StopApp(app);
        Assert.Equal(0, rig.MeterProcesses(100) + rig.MeterProcesses(102));
    }

    [Fact]
    public void A_meter_that_exits_is_shown_stopped_and_started_again()
    {
        using var rig = new AppRig(port => AppRig.Meter(100, port, "app/one"));
        rig.Broker.Publish("app/one", """{"grid":{"power":100.0}}""", "-r");
        var app = rig.StartApp();
        rig.WaitForValue(AppRig.GridService(100), "/Ac/Power", "(<100.0>,)", app);
        int pid = MeterPid(rig, 100);
        Assert.Equal(0, Tool.Run("kill", "-KILL", pid.ToString()).ExitCode);
        Assert.True(app.WaitForLine("meter 100 exited with code", AppRig.Deadline), app.Log);
        rig.WaitForValue(AppRig.GridService(100), "/Ac/Power", "(<100.0>,)", app);
        Assert.NotEqual(pid, MeterPid(rig, 100));
        rig.WaitForValue(AppRig.Control, "/Meters/100/State", AppRig.Text("fresh"), app);

        // SIGHUP (svc -h) stops the app like SIGTERM: its meter first, cleanly.
        Assert.Equal(0, Tool.Run("kill", "-HUP", app.Id.ToString()).ExitCode);
        Assert.True(app.WaitForExit(AppRig.Deadline) && app.ExitCode == 0, app.Log);
        Assert.False(rig.OnBus(AppRig.GridService(100)));
        Assert.False(rig.OnBus(AppRig.Control));
        Assert.Contains(app.Lines, l => l.StartsWith("meter 100: INFO stopped (exit code 0)"));
    }

    [Fact]
    public void Without_a_settings_service_the_app_serves_its_control_service_and_waits_for_it()
    {
        using var rig = new AppRig(port => AppRig.Meter(100, port, "app/one"));
        rig.Broker.Publish("app/one", """{"grid":{"power":100.0}}""", "-r");
        rig.SettingsService.Stop();
        var app = rig.StartApp();
        Assert.True(app.WaitForLine("INFO waiting for com.victronenergy.settings on D-Bus", AppRig.Deadline), app.Log);
        Assert.Equal(AppRig.Text(""), rig.ControlValue("/Meters"));
        Assert.Equal(0, rig.MeterProcesses(100));
        rig.SettingsService.Start();
        rig.WaitForValue(AppRig.GridService(100), "/Ac/Power", "(<100.0>,)", app);
        rig.WaitForValue(AppRig.Control, "/Meters", AppRig.Text("100"), app);
    }

    [Fact]
    public void A_killed_app_leaves_no_meter_behind_and_the_next_one_takes_over()
    {
        using var rig = new AppRig(port => AppRig.Meter(100, port, "app/one"));
        rig.Broker.Publish("app/one", """{"grid":{"power":100.0}}""", "-r");
        var app = rig.StartApp();
        rig.WaitForValue(AppRig.GridService(100), "/Ac/Power", "(<100.0>,)", app);
        Assert.Equal(0, Tool.Run("kill", "-KILL", app.Id.ToString()).ExitCode);
        Assert.True(AppRig.WaitFor(() => rig.MeterProcesses(100) == 0 && !rig.OnBus(AppRig.GridService(100))), "the meter outlived its app");
        app = rig.StartApp();
        rig.WaitForValue(AppRig.GridService(100), "/Ac/Power", "(<100.0>,)", app);
        rig.WaitForValue(AppRig.Control, "/Meters/100/State", AppRig.Text("fresh"), app);
        Assert.Equal(1, rig.MeterProcesses(100));
    }

    private static int MeterPid(AppRig rig, int meter)
    {
        string ini = Path.Combine(rig.Home, $"meter-{meter}", "app.ini");
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out int pid))
                try { if (File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0').Contains(ini)) return pid; }
                catch (IOException) { }
        return -1;
    }
}
