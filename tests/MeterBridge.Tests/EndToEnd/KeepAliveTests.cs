using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// The keep-alive is our own timer (Mqtt/ReaderAdapter.cs), not MQTTnet's 250 ms loop: a hung broker must still be
/// noticed, and an idle bridge must really sleep.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class KeepAliveTests
{
    [Fact]
    public void A_hung_broker_is_noticed_after_one_and_a_half_keepalives_and_values_flow_once_it_answers_again()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--keepalive", "2"]);
        rig.Publish("""{"grid":{"power":10.0}}""");
        rig.WaitForValue("/Ac/Power", "(<10.0>,)", bridge: bridge);

        var clock = Stopwatch.StartNew();
        rig.Broker.Freeze();
        try
        {
            Assert.True(bridge.WaitForLine("no answer from the broker for 3 s", TimeSpan.FromSeconds(8)), "no line about the hung broker:\n" + bridge.Log);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"the broker was given up after {clock.Elapsed.TotalSeconds:0.0} s:\n" + bridge.Log);
        }
        finally { rig.Broker.Thaw(); }

        bool again = bridge.WaitForLine(_ => bridge.Lines.Count(line => line.Contains("subscribed to")) == 2, TimeSpan.FromSeconds(15));
        Assert.True(again, "not subscribed again:\n" + bridge.Log);
        rig.Publish("""{"grid":{"power":20.0}}""");
        rig.WaitForValue("/Ac/Power", "(<20.0>,)", bridge: bridge);
    }

    [Fact]
    public void A_connected_bridge_without_messages_sleeps()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--timeout", "0"]);
        rig.Publish("""{"grid":{"power":10.0}}""");
        rig.WaitForValue("/Ac/Power", "(<10.0>,)", bridge: bridge);
        Thread.Sleep(500); // registration's last replies and log lines

        long before = WakeUps(bridge.Id);
        Thread.Sleep(3000);
        long wakeUps = WakeUps(bridge.Id) - before;

        // MQTTnet's keep-alive loop alone was 4 timer ticks a second, about 75 wake-ups in 3 s.
        Assert.True(wakeUps <= 5, $"{wakeUps} thread wake-ups in 3 s of silence");
    }

    /// <summary>Voluntary context switches of every thread of the process: each is a sleep, so each later wake-up.</summary>
    private static long WakeUps(int pid) => Directory.GetDirectories($"/proc/{pid}/task").Sum(VoluntarySwitches);

    private static long VoluntarySwitches(string task)
    {
        try
        {
            return File.ReadLines(Path.Combine(task, "status"))
                .Where(line => line.StartsWith("voluntary_ctxt_switches:"))
                .Sum(line => long.Parse(line.Split(':')[1].Trim()));
        }
        catch (IOException) { return 0; } // the thread ended meanwhile
    }
}
