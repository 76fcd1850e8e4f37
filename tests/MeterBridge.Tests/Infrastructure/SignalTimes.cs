using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// <c>dbus-monitor --profile</c> on ItemsChanged signals: the time dbus-monitor received each one, stamped by that
/// process itself, so counts per second do not depend on how promptly the test process gets to read.
/// </summary>
public sealed class SignalTimes : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<double> _seconds = new();

    public SignalTimes(string address)
    {
        _process = Tool.Start("dbus-monitor", "--address", address, "--profile",
            "type='signal',interface='com.victronenergy.BusItem',member='ItemsChanged',path='/'");
        // Lines: "sig <tab> seconds.micros <tab> serial <tab> sender <tab> destination <tab> path <tab> interface <tab> member".
        _process.OutputDataReceived += (_, e) =>
        {
            string[] fields = e.Data?.Split('\t') ?? [];
            if (fields.Length >= 8 && fields[0] == "sig" && fields[7] == "ItemsChanged"
                && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double at))
                _seconds.Enqueue(at);
        };
        _process.BeginOutputReadLine();
        Thread.Sleep(300); // dbus-monitor has become a monitor before anything is sent
    }

    public int Count => _seconds.Count;

    /// <summary>The most signals received within any window of <paramref name="window"/>.</summary>
    public int MostWithin(TimeSpan window)
    {
        double[] times = [.. _seconds];
        int most = 0;
        for (int first = 0, last = 0; first < times.Length; first++)
        {
            while (last < times.Length && times[last] - times[first] < window.TotalSeconds) last++;
            most = Math.Max(most, last - first);
        }
        return most;
    }

    public void Dispose()
    {
        try { _process.Kill(); _process.WaitForExit(2000); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
