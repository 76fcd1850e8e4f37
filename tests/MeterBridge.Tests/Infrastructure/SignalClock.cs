using System.Diagnostics;
using MeterBridge.Bench.EndToEnd;
using Tmds.DBus.Protocol;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// A D-Bus client of its own in the test process that stamps every ItemsChanged on arrival (in the receive loop,
/// before anything else) with its /Ac/Power value: for timing publish → signal and reading what a signal carried,
/// which gdbus monitor cannot do (its output is block-buffered in a pipe). Counting per second: <see cref="SignalTimes"/>.
/// </summary>
public sealed class SignalClock : IDisposable
{
    private readonly DBusConnection _connection;
    private readonly List<(long Arrived, double Power)> _signals = [];

    private SignalClock(DBusConnection connection) => _connection = connection;

    public static SignalClock Start(string address)
    {
        var connection = new DBusConnection(address);
        connection.ConnectAsync().AsTask().GetAwaiter().GetResult();
        var clock = new SignalClock(connection);
        connection.AddMatchAsync(
            new MatchRule { Type = MessageType.Signal, Interface = "com.victronenergy.BusItem", Member = "ItemsChanged", Path = "/" },
            (message, _) => (Arrived: Stopwatch.GetTimestamp(), Power: ItemsChangedBody.AcPower(message)),
            notification => { if (notification.HasValue) ((SignalClock)notification.State!).Record(notification.Value); },
            emitOnCapturedContext: false, ObserverFlags.None, clock).AsTask().GetAwaiter().GetResult();
        return clock;
    }

    /// <summary>(Stopwatch timestamp of arrival, /Ac/Power or NaN when the signal does not carry it), in order.</summary>
    public IReadOnlyList<(long Arrived, double Power)> Signals
    {
        get { lock (_signals) return [.. _signals]; }
    }

    /// <summary>Polls until a signal carries /Ac/Power = <paramref name="power"/>; its arrival time, or null.</summary>
    public long? WaitForPower(double power, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            foreach (var (arrived, p) in Signals)
                if (p == power) return arrived;
            Thread.Sleep(2);
        }
        return null;
    }

    private void Record((long Arrived, double Power) signal)
    {
        lock (_signals) _signals.Add(signal);
    }

    public void Dispose() => _connection.Dispose();
}
