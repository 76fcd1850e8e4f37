using System.Collections.Concurrent;
using System.Diagnostics;

namespace MeterBridge.Bench.EndToEnd;

/// <summary>Starting and stopping the helper processes; their output is kept (last lines) for error messages.</summary>
public static class Processes
{
    public static Process Start(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + file);
        var lines = new ConcurrentQueue<string>();
        Output[process.Id] = lines;
        void Keep(string? line)
        {
            if (line is null) return;
            lines.Enqueue(line);
            while (lines.Count > 50) lines.TryDequeue(out _);
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static readonly ConcurrentDictionary<int, ConcurrentQueue<string>> Output = new();

    public static string LastLines(Process process) =>
        Output.TryGetValue(process.Id, out var lines) ? string.Join('\n', lines) : "";

    public static void WaitUntil(Func<bool> condition, string failure, double seconds = 10)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed.TotalSeconds > seconds) throw new TimeoutException(failure);
            Thread.Sleep(5);
        }
    }

    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) { process.Kill(); process.WaitForExit(2000); }
        }
        catch (InvalidOperationException) { /* already gone */ }
        process.Dispose();
    }
}
