using System.Diagnostics;
using Tmds.DBus.Protocol;

namespace MeterBridge.Bench.EndToEnd;

/// <summary>
/// Our own D-Bus client: records every ItemsChanged's /Ac/Power value with its arrival time (stamped in the
/// receive loop, before anything else), and when the service's name got an owner.
/// </summary>
public sealed class SignalRecorder : IDisposable
{
    private readonly DBusConnection _connection;
    private readonly string _service;
    private readonly object _gate = new();
    private readonly List<(double Power, long Arrived)> _signals = new(40_000);
    private long _nameOwned;

    private SignalRecorder(DBusConnection connection, string service)
    {
        _connection = connection;
        _service = service;
    }

    public static async Task<SignalRecorder> StartAsync(string address, string service)
    {
        var connection = new DBusConnection(address);
        await connection.ConnectAsync();
        var recorder = new SignalRecorder(connection, service);
        await connection.AddMatchAsync(
            new MatchRule { Type = MessageType.Signal, Interface = "org.freedesktop.DBus", Member = "NameOwnerChanged", Arg0 = service },
            (message, _) => NameOwner(message),
            notification => { if (notification.HasValue && notification.Value.Length > 0) ((SignalRecorder)notification.State!).NameOwned(); },
            emitOnCapturedContext: false, ObserverFlags.None, recorder);
        await connection.AddMatchAsync(
            new MatchRule { Type = MessageType.Signal, Interface = "com.victronenergy.BusItem", Member = "ItemsChanged", Path = "/" },
            (message, _) => (Power: ItemsChangedBody.AcPower(message), Arrived: Stopwatch.GetTimestamp()),
            notification => { if (notification.HasValue) ((SignalRecorder)notification.State!).Record(notification.Value.Power, notification.Value.Arrived); },
            emitOnCapturedContext: false, ObserverFlags.None, recorder);
        return recorder;
    }

    /// <summary>Stopwatch timestamp when the service's name got an owner, 0 before.</summary>
    public long NameOwnedAt => Interlocked.Read(ref _nameOwned);

    public int Count { get { lock (_gate) return _signals.Count; } }

    /// <summary>The signals from index <paramref name="from"/> on.</summary>
    public List<(double Power, long Arrived)> Since(int from)
    {
        lock (_gate) return _signals.GetRange(from, _signals.Count - from);
    }

    private void NameOwned()
    {
        Interlocked.CompareExchange(ref _nameOwned, Stopwatch.GetTimestamp(), 0);
    }

    private void Record(double power, long arrived)
    {
        if (double.IsNaN(power)) return;
        lock (_gate) _signals.Add((power, arrived));
    }

    private static string NameOwner(Message message)
    {
        Reader reader = message.GetBodyReader();
        reader.ReadString();
        reader.ReadString();
        return reader.ReadString();
    }

    public void Dispose() => _connection.Dispose();
}
