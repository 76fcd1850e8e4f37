using System.Diagnostics;
using MeterBridge.Tests.EndToEnd;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.GxApp;

/// <summary>
/// <c>meterbridge app</c> between a real Mosquitto, a private dbus-daemon with the settings stand-in, and a home folder of
/// its own; read and written with gdbus as the GUI (or <c>dbus -y</c>) would.
/// </summary>
public sealed class AppRig : IDisposable
{
    public const string Control = "com.victronenergy.meterbridge";
    public const string Settings = TestSettingsService.Name;
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly List<BridgeProcess> _apps = [];

    /// <param name="seed">The settings there are before the app starts, given the broker's port.</param>
    public AppRig(Func<int, Dictionary<string, object>>? seed = null)
    {
        Bus = new DBusDaemon();
        Broker = new Mosquitto();
        SettingsService = new TestSettingsService(Bus.Address, seed?.Invoke(Broker.Port));
        Home = Directory.CreateTempSubdirectory("mb-app-").FullName;
    }

    public DBusDaemon Bus { get; }
    public Mosquitto Broker { get; }
    public TestSettingsService SettingsService { get; }
    public string Home { get; }

    public static string Setting(int meter, string name) => $"/Settings/MeterBridge/{meter}/{name}";

    public static string GridService(int meter) => $"com.victronenergy.grid.mqtt_grid_{meter}";

    /// <summary>The settings of a meter on this rig's broker, as a page would have set them, for the stand-in's seed.</summary>
    public static Dictionary<string, object> Meter(int meter, int port, string topic) => new()
    {
        ["/Settings/MeterBridge/Meters"] = $"{meter}",
        [Setting(meter, "BrokerPort")] = port,
        [Setting(meter, "Topic")] = topic,
    };

    public BridgeProcess StartApp()
    {
        var app = BridgeProcess.Start("app", "--home", Home, "--dbus-address", Bus.Address);
        _apps.Add(app);
        Assert.True(WaitFor(() => OnBus(Control)), "the control service did not come:\n" + app.Log);
        return app;
    }

    public void StopApp(BridgeProcess app)
    {
        app.Terminate();
        Assert.True(app.WaitForExit(Deadline), "the app did not stop:\n" + app.Log);
        Assert.True(app.ExitCode == 0, $"exit {app.ExitCode}:\n{app.Log}");
    }

    public Tool.Result Call(string service, string path, string method, params string[] args) =>
        Tool.Run("gdbus", ["call", "--address", Bus.Address, "--dest", service, "--object-path", path,
            "--method", "com.victronenergy.BusItem." + method, .. args]);

    /// <summary>GetValue as gdbus prints it (<c>(&lt;'fresh'&gt;,)</c>); null when the call fails.</summary>
    public string? Get(string service, string path)
    {
        var result = Call(service, path, "GetValue");
        return result.ExitCode == 0 ? result.Stdout.Trim() : null;
    }

    /// <summary>SetValue with a gdbus variant text (<c>&lt;int32 100&gt;</c>, <c>&lt;'a/b'&gt;</c>): the answer, <c>(0,)</c>.</summary>
    public string Set(string service, string path, string variant) => Call(service, path, "SetValue", variant).Stdout.Trim();

    public string? ControlValue(string path) => Get(Control, path);

    public static string Text(string value) => $"(<'{value}'>,)";

    public bool OnBus(string service) =>
        Tool.Run("gdbus", "call", "--address", Bus.Address, "--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
            "--method", "org.freedesktop.DBus.NameHasOwner", service).Stdout.Contains("true");

    /// <summary>The unique name that owns a service now (a re-registration changes it), or null.</summary>
    public string? Owner(string service)
    {
        var result = Tool.Run("gdbus", "call", "--address", Bus.Address, "--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
            "--method", "org.freedesktop.DBus.GetNameOwner", service);
        return result.ExitCode == 0 ? result.Stdout.Trim() : null;
    }

    public static bool WaitFor(Func<bool> condition, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? Deadline))
        {
            if (condition()) return true;
            Thread.Sleep(25);
        }
        return condition();
    }

    /// <summary>Polls until GetValue prints <paramref name="expected"/>; asserts with the last answer and the app's log.</summary>
    public void WaitForValue(string service, string path, string expected, BridgeProcess app, TimeSpan? timeout = null)
    {
        string? last = null;
        bool seen = WaitFor(() => Rig.Same(last = Get(service, path), expected), timeout);
        Assert.True(seen, $"{service} {path}: expected {expected}, last saw {last ?? "(no answer)"}\nlog:\n" + string.Join('\n', app.Lines.TakeLast(40)));
    }

    /// <summary>The meter processes of this rig's home (their command lines name it): to count copies.</summary>
    public int MeterProcesses(int meter)
    {
        string ini = Path.Combine(Home, $"meter-{meter}", "app.ini");
        int count = 0;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try { if (File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0').Contains(ini)) count++; }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return count;
    }

    public void Dispose()
    {
        foreach (var app in _apps) app.Dispose();
        // A meter outlives a killed app only until its bus goes; kill what is left of ours, by pid.
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try { if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(Home)) Process.GetProcessById(pid).Kill(); }
            catch (Exception) { }
        }
        SettingsService.Dispose();
        Broker.Dispose();
        Bus.Dispose();
        try { Directory.Delete(Home, recursive: true); } catch (IOException) { }
    }
}
