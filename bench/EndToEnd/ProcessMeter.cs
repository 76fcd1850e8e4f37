namespace MeterBridge.Bench.EndToEnd;

/// <summary>CPU time and memory of one process, read from /proc.</summary>
public sealed class ProcessMeter(int pid)
{
    private const double TicksPerSecond = 100; // USER_HZ, fixed at 100 on Linux

    /// <summary>utime + stime from /proc/PID/stat, in µs (10 ms resolution).</summary>
    public double CpuMicrosecondsFromStat()
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        long ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return ticks / TicksPerSecond * 1e6;
    }

    /// <summary>The sum of every live thread's run time from /proc/PID/task/*/schedstat, in µs (ns resolution).</summary>
    public double CpuMicrosecondsFromSchedstat()
    {
        long nanoseconds = 0;
        foreach (string task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try { nanoseconds += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0]); }
            catch (IOException) { /* the thread just ended */ }
        }
        return nanoseconds / 1000.0;
    }

    /// <summary>The sum of every live thread's voluntary context switches (each a sleep, so each a wake-up).</summary>
    public long VoluntaryWakeups()
    {
        long switches = 0;
        foreach (string task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                foreach (string line in File.ReadLines(Path.Combine(task, "status")))
                    if (line.StartsWith("voluntary_ctxt_switches:")) switches += long.Parse(line.AsSpan(24).Trim());
            }
            catch (IOException) { /* the thread just ended */ }
        }
        return switches;
    }

    /// <summary>(VmRSS, VmHWM) in KiB.</summary>
    public (long Rss, long PeakRss) Memory()
    {
        long rss = 0, peak = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:")) rss = Kilobytes(line);
            else if (line.StartsWith("VmHWM:")) peak = Kilobytes(line);
        }
        return (rss, peak);
    }

    private static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
