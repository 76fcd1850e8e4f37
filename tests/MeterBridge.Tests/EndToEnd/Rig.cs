using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// One end-to-end setup: a private dbus-daemon, a Mosquitto, and the binary between them, and the reads a
/// GX would do with gdbus (polled against a deadline, never a fixed sleep).
/// </summary>
public sealed partial class Rig : IDisposable
{
    public const string Topic = "e2e/meter";
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private readonly List<BridgeProcess> _bridges = [];

    public Rig(Mosquitto? broker = null, int deviceInstance = 40)
    {
        Bus = new DBusDaemon();
        Broker = broker ?? new Mosquitto();
        DeviceInstance = deviceInstance;
    }

    public DBusDaemon Bus { get; }
    public Mosquitto Broker { get; }
    public int DeviceInstance { get; }
    public string Service => $"com.victronenergy.grid.mqtt_grid_{DeviceInstance}";

    /// <summary>
    /// The binary with the standard flags plus <paramref name="extra"/>; waits until it is subscribed unless told not to.
    /// <paramref name="brokerPort"/>: another broker than the rig's (a silent or scripted one).
    /// </summary>
    public BridgeProcess StartBridge(string topic = Topic, bool waitConnected = true, int? brokerPort = null, params string[] extra)
    {
        var bridge = BridgeProcess.Start(["--dbus-address", Bus.Address, "--broker-address", "127.0.0.1",
            "--broker-port", (brokerPort ?? Broker.Port).ToString(), "--topic", topic, "--device-instance", DeviceInstance.ToString(), .. extra]);
        _bridges.Add(bridge);
        if (waitConnected)
            Assert.True(bridge.WaitForLine("subscribed to", Deadline), "not subscribed:\n" + bridge.Log);
        return bridge;
    }

    public void Publish(string payload, string topic = Topic) => Broker.Publish(topic, payload);

    /// <summary>A BusItem method called with gdbus, as the GUI would.</summary>
    public Tool.Result Call(string service, string path, string method, params string[] args) =>
        Tool.Run("gdbus", ["call", "--address", Bus.Address, "--dest", service, "--object-path", path,
            "--method", "com.victronenergy.BusItem." + method, .. args]);

    /// <summary>GetValue as gdbus prints it, e.g. <c>(&lt;500.0&gt;,)</c>; null when the call fails (service absent).</summary>
    public string? GetValue(string path, string? service = null)
    {
        var result = Call(service ?? Service, path, "GetValue");
        return result.ExitCode == 0 ? result.Stdout.Trim() : null;
    }

    /// <summary>
    /// GetItems on the root, one call for every path: path → value in GetValue's form (<c>(&lt;500.0&gt;,)</c>);
    /// empty when the call fails (service absent).
    /// </summary>
    public Dictionary<string, string> GetItems()
    {
        var result = Tool.Run("gdbus", "call", "--address", Bus.Address, "--dest", Service, "--object-path", "/",
            "--method", "com.victronenergy.BusItem.GetItems");
        var items = new Dictionary<string, string>();
        if (result.ExitCode != 0) return items;
        foreach (System.Text.RegularExpressions.Match match in ItemPattern().Matches(result.Stdout))
            items[match.Groups[1].Value] = "(<" + match.Groups[2].Value + ">,)";
        return items;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"'(/[^']*)': \{'Value': <([^>]*)>")]
    private static partial System.Text.RegularExpressions.Regex ItemPattern();

    /// <summary>Polls GetItems until every measurement path shows <paramref name="payload"/>'s value; asserts with what differs.</summary>
    public void WaitForItems(FullPayload payload, BridgeProcess bridge, TimeSpan? timeout = null)
    {
        List<string> wrong = ["(not polled)"];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? Deadline))
        {
            wrong = payload.Mismatches(GetItems());
            if (wrong.Count == 0) return;
            Thread.Sleep(50);
        }
        Assert.Fail("D-Bus does not show the payload:\n" + string.Join('\n', wrong.Take(10)) + "\nlog (end):\n"
            + string.Join('\n', bridge.Lines.TakeLast(30)));
    }

    /// <summary>Polls GetValue until it prints <paramref name="expected"/>; asserts with the last answer seen.</summary>
    public void WaitForValue(string path, string expected, TimeSpan? timeout = null, BridgeProcess? bridge = null, string? service = null)
    {
        string? last = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? Deadline))
        {
            last = GetValue(path, service);
            if (Same(last, expected)) return;
            Thread.Sleep(25);
        }
        Assert.Fail($"{service ?? Service} {path}: expected {expected}, last saw {last ?? "(no answer)"}" + (bridge is null ? "" : "\nlog:\n" + bridge.Log));
    }

    /// <summary>
    /// Equal answers; numbers compare as doubles, since gdbus prints 17 digits (2345.6 shows as 2345.5999999999999).
    /// </summary>
    public static bool Same(string? actual, string expected)
    {
        if (actual == expected) return true;
        return Number(actual) is { } a && Number(expected) is { } b && a == b;
    }

    private static double? Number(string? answer) =>
        answer is not null && answer.StartsWith("(<") && answer.EndsWith(">,)")
        && double.TryParse(answer[2..^3], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value)
            ? value : null;

    /// <summary>Asserts one GetValue answer now (after a WaitForValue on the same message).</summary>
    public void AssertValue(string path, string expected)
    {
        string? actual = GetValue(path);
        Assert.True(Same(actual, expected), $"{path}: expected {expected}, got {actual ?? "(no answer)"}");
    }

    public bool OnBus(string? service = null) =>
        Tool.Run("gdbus", "call", "--address", Bus.Address, "--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
            "--method", "org.freedesktop.DBus.NameHasOwner", service ?? Service).Stdout.Contains("true");

    /// <summary>Polls until the service is (or is not) on the bus.</summary>
    public bool WaitOnBus(bool wanted, TimeSpan? timeout = null, string? service = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? Deadline))
        {
            if (OnBus(service) == wanted) return true;
            Thread.Sleep(25);
        }
        return OnBus(service) == wanted;
    }

    public void Dispose()
    {
        foreach (var bridge in _bridges) bridge.Dispose();
        Broker.Dispose();
        Bus.Dispose();
    }
}

/// <summary>The end-to-end tests run one after another: each starts real processes on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end";
}
