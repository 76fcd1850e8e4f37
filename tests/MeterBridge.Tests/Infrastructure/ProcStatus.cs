namespace MeterBridge.Tests.Infrastructure;

/// <summary>Memory and CPU time of a process, read from /proc (Linux).</summary>
public static class ProcStatus
{
    /// <summary>(VmRSS, VmHWM) in KiB: resident now, and the highest resident ever (the kernel's high-water mark).</summary>
    public static (long RssKiB, long PeakKiB) Memory(int pid)
    {
        long rss = 0, peak = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:")) rss = Kilobytes(line);
            else if (line.StartsWith("VmHWM:")) peak = Kilobytes(line);
        }
        return (rss, peak);
    }

    /// <summary>utime + stime from /proc/PID/stat, in clock ticks (USER_HZ, 100 a second on Linux).</summary>
    public static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return long.Parse(fields[11]) + long.Parse(fields[12]);
    }

    private static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
