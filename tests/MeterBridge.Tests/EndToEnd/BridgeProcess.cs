using System.Collections.Concurrent;
using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// The real AOT binary as a process: started with flags, every stdout line captured, stopped with a real
/// SIGTERM (<c>kill -TERM</c>), killed on Dispose if still running.
/// </summary>
public sealed class BridgeProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private BridgeProcess(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(AotBinary.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args) info.ArgumentList.Add(arg);
        _process = Process.Start(info) ?? throw new InvalidOperationException("meterbridge did not start");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue("stderr: " + e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static BridgeProcess Start(params string[] args) => new(args);

    public IReadOnlyList<string> Lines => [.. _lines];

    public string Log => string.Join('\n', _lines);

    public bool IsRunning => !_process.HasExited;

    /// <summary>The process id, for /proc/PID/status and /proc/PID/stat.</summary>
    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>Waits for a log line that matches; false when the deadline passes first.</summary>
    public bool WaitForLine(Func<string, bool> predicate, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_lines.Any(predicate)) return true;
            Thread.Sleep(20);
        }
        return _lines.Any(predicate);
    }

    public bool WaitForLine(string contains, TimeSpan timeout) => WaitForLine(line => line.Contains(contains), timeout);

    /// <summary>SIGTERM, as daemontools' <c>svc -d</c> sends it.</summary>
    public void Terminate()
    {
        var kill = Tool.Run("kill", "-TERM", _process.Id.ToString());
        if (kill.ExitCode != 0) throw new InvalidOperationException("kill -TERM failed: " + kill);
    }

    /// <summary>Waits for the exit, then for the output to be read to its end.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
