using System.Collections.Concurrent;
using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// dbus-monitor on the rig's bus: every BusItem signal of every service, from before the bridge owns its name, so a value
/// shown for a moment is seen even when a later one replaces it.
/// </summary>
public sealed class BusRecorder : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public BusRecorder(string address)
    {
        _process = Tool.Start("dbus-monitor", "--address", address, "type='signal',interface='com.victronenergy.BusItem'");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew(); // dbus-monitor prints its own NameAcquired signal once it listens
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !_lines.Any(line => line.Contains("NameAcquired"))) Thread.Sleep(20);
    }

    public string Text => string.Join('\n', _lines);

    public void Dispose()
    {
        try { _process.Kill(); _process.WaitForExit(2000); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
