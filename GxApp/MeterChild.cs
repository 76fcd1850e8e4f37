using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MeterBridge.GxApp;

/// <summary>
/// One meter's process, <c>meterbridge run --config …/app.ini --report-state</c>, its output read line by line on two
/// threads of its own (blocked in read while the meter is quiet: no wake-ups), its exit reported by the runtime's child
/// watcher. Stopped as daemontools would: SIGTERM (the meter leaves the broker and the bus cleanly), SIGKILL if it is
/// still there after a grace time.
/// </summary>
internal sealed class MeterChild
{
    private const int SIGTERM = 15;
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorRead = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MeterChild(Process process) => _process = process;

    /// <summary>The exit code, once it exited.</summary>
    public Task<int> Exited => _exited.Task;

    public long StartedAt { get; } = Stopwatch.GetTimestamp();

    /// <param name="output">A line of its standard output (the log).</param>
    /// <param name="error">A line of its standard error (config problems at start, the <c>@state</c> lines).</param>
    public static MeterChild Start(string binary, string iniPath, int meter, Action<string> output, Action<string> error)
    {
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // never written: when the app is gone, however it went, the meter reads its end and stops
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["run", "--config", iniPath, "--report-state"]) info.ArgumentList.Add(arg);
        info.Environment.Remove("MQTT_PASSWORD"); // would win over app.ini's password
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new MeterChild(process);
        process.Exited += (_, _) => child._exited.TrySetResult(process.ExitCode);
        process.Start();
        Read(process.StandardOutput, output, $"meter {meter} out", child._outputRead);
        Read(process.StandardError, error, $"meter {meter} err", child._errorRead);
        return child;
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>; returns once it has exited and its last lines are read.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (Exited.IsCompleted) return;
        try { _ = Kill(_process.Id, SIGTERM); }
        catch (InvalidOperationException) { return; }
        try { await Exited.WaitAsync(grace); }
        catch (TimeoutException)
        {
            try { _process.Kill(); } catch (InvalidOperationException) { /* gone meanwhile */ }
            await Exited;
        }
        // Its "stopped" line belongs in the log; a grandchild holding the pipes must not hold us.
        try { await Task.WhenAll(_outputRead.Task, _errorRead.Task).WaitAsync(TimeSpan.FromSeconds(1)); }
        catch (TimeoutException) { }
    }

    private static void Read(StreamReader reader, Action<string> line, string name, TaskCompletionSource done) =>
        new Thread(() =>
        {
            try
            {
                while (reader.ReadLine() is { } text) line(text);
            }
            catch (IOException) { /* the pipe broke: the process is gone */ }
            done.TrySetResult();
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = name }.Start();

    // Blittable, so AOT needs no marshalling stub; Process.Kill only sends SIGKILL.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
