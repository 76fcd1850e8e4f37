using System.Collections.Concurrent;
using System.Diagnostics;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// <c>gdbus monitor</c> on one service: every signal it prints, one line each
/// (<c>/: com.victronenergy.BusItem.ItemsChanged ({'/Ac/Power': {'Value': &lt;1500.5&gt;, …}},)</c>).
/// </summary>
public sealed class SignalMonitor : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private SignalMonitor(string address, string service)
    {
        _process = Tool.Start("gdbus", "monitor", "--address", address, "--dest", service);
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
    }

    /// <summary>Starts the monitor and waits until it watches the (already owned) name.</summary>
    public static SignalMonitor Start(string address, string service)
    {
        var monitor = new SignalMonitor(address, service);
        if (!monitor.WaitFor(line => line.Contains("is owned by"), TimeSpan.FromSeconds(10)))
            throw new TimeoutException("gdbus monitor did not start: " + string.Join('\n', monitor._lines));
        return monitor;
    }

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The lines of one signal member, e.g. <c>ItemsChanged</c>.</summary>
    public IReadOnlyList<string> Signals(string member) =>
        [.. _lines.Where(line => line.Contains("com.victronenergy.BusItem." + member + " "))];

    public bool WaitFor(Func<string, bool> predicate, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_lines.Any(predicate)) return true;
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>Waits until <paramref name="count"/> signals of <paramref name="member"/> arrived, then a little longer to catch extra ones.</summary>
    public IReadOnlyList<string> WaitForSignals(string member, int count, TimeSpan? settle = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && Signals(member).Count < count) Thread.Sleep(20);
        Thread.Sleep(settle ?? TimeSpan.FromMilliseconds(300));
        return Signals(member);
    }

    public void Dispose()
    {
        try { _process.Kill(); _process.WaitForExit(2000); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
