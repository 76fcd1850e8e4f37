using MeterBridge.Tests.EndToEnd;
using MeterBridge.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MeterBridge.Tests.GxApp;

/// <summary>The app costs a GX nothing while nothing happens: no polling, no timers; its memory beside its meter's.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AppIdleTests(ITestOutputHelper output)
{
    [Fact]
    public void An_idle_app_with_one_meter_sleeps()
    {
        using var rig = new AppRig(port => AppRig.Meter(100, port, "app/one"));
        rig.Broker.Publish("app/one", """{"grid":{"power":100.0}}""", "-r");
        var app = rig.StartApp();
        rig.WaitForValue(AppRig.GridService(100), "/Ac/Power", "(<100.0>,)", app);
        rig.WaitForValue(AppRig.Control, "/Meters/100/State", AppRig.Text("fresh"), app);
        Thread.Sleep(1000); // the last replies and log lines
        int child = MeterPid(rig);

        long appBefore = WakeUps(app.Id), childBefore = WakeUps(child);
        Thread.Sleep(10_000);
        long appWakeUps = WakeUps(app.Id) - appBefore, childWakeUps = WakeUps(child) - childBefore;
        var (appRss, _) = ProcStatus.Memory(app.Id);
        var (childRss, _) = ProcStatus.Memory(child);
        output.WriteLine($"10 s idle: app {appWakeUps} wake-ups, its meter {childWakeUps}; RSS app {appRss} KiB, meter {childRss} KiB, together {appRss + childRss} KiB");
        output.WriteLine(string.Join("\n", Directory.GetDirectories($"/proc/{app.Id}/task").Select(t => $"{File.ReadAllText(Path.Combine(t, "comm")).Trim()}: {Voluntary(t)}")));

        // A timer of a second would be 10; a poll of 100 ms, 100.
        Assert.True(appWakeUps <= 5, $"the app woke {appWakeUps} times in 10 s of silence");
    }

    private static int MeterPid(AppRig rig)
    {
        string ini = Path.Combine(rig.Home, "meter-100", "app.ini");
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out int pid))
                try { if (File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0').Contains(ini)) return pid; }
                catch (IOException) { }
        throw new InvalidOperationException("no meter process");
    }

    private static long WakeUps(int pid) => Directory.GetDirectories($"/proc/{pid}/task").Sum(Voluntary);

    private static long Voluntary(string task)
    {
        try
        {
            return File.ReadLines(Path.Combine(task, "status"))
                .Where(line => line.StartsWith("voluntary_ctxt_switches:"))
                .Sum(line => long.Parse(line.Split(':')[1].Trim()));
        }
        catch (IOException) { return 0; }
    }
}
