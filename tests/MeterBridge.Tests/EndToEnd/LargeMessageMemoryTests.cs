using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// max_payload_size is bounded by what the process can hold under its 32 MiB GC heap, and after a large accepted message
/// the memory goes back: RSS returns to within ~2 MB of idle instead of staying at the largest message for the connection's life.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LargeMessageMemoryTests
{
    private const int Maximum = 12 * 1024 * 1024;

    [Fact]
    public void A_max_payload_size_beyond_what_the_heap_holds_stops_the_start_with_exit_2()
    {
        string folder = Directory.CreateTempSubdirectory("mb-max-").FullName;
        string config = Path.Combine(folder, "config.ini");
        File.WriteAllText(config, "[MQTT]\nbroker_address = 127.0.0.1\nmax_payload_size = 268435455\n");
        var (exitCode, _, stderr) = AotBinary.Run(["run", "--config", config, "--dbus-address", "unix:path=/nonexistent"], "");
        Assert.Equal(2, exitCode);
        Assert.Contains($"config.ini:3: max_payload_size = \"268435455\" is not a number of bytes 1 to {Maximum}", stderr);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_message_of_the_maximum_size_is_applied_and_its_memory_given_back(int qos)
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(extra: ["--max-payload-size", Maximum.ToString(), "--qos", qos.ToString()]);
        rig.Broker.Publish(Rig.Topic, """{"grid":{"power":1}}""", "-q", "1");
        rig.WaitForValue("/Ac/Power", "(<1.0>,)", bridge: bridge);
        Thread.Sleep(1000);
        long idle = ProcStatus.Memory(bridge.Id).RssKiB;

        string big = Path.Combine(Path.GetTempPath(), $"mb-max-{Guid.NewGuid():N}.json");
        try
        {
            const string head = "{\"grid\":{\"power\":123,\"pad\":\"", tail = "\"}}";
            File.WriteAllText(big, head + new string('x', Maximum - head.Length - tail.Length) + tail);
            Assert.Equal(Maximum, new FileInfo(big).Length);
            rig.Broker.MosquittoPub("-t", Rig.Topic, "-f", big, "-q", "1");
        }
        finally { File.Delete(big); }
        rig.WaitForValue("/Ac/Power", "(<123.0>,)", timeout: Rig.Deadline * 2, bridge: bridge);
        long peak = ProcStatus.Memory(bridge.Id).PeakKiB;
        // With QoS 1 MQTTnet keeps the last message referenced until the next one arrives; a meter sends one every few seconds.
        rig.Broker.Publish(Rig.Topic, """{"grid":{"power":2}}""", "-q", "1");
        rig.WaitForValue("/Ac/Power", "(<2.0>,)", bridge: bridge);

        Thread.Sleep(10_000);
        long after = ProcStatus.Memory(bridge.Id).RssKiB;
        Console.WriteLine($"QoS {qos}: a {Maximum}-byte message; RSS idle {idle} KiB, VmHWM {peak} KiB, RSS 10 s later {after} KiB");
        Assert.True(bridge.IsRunning, bridge.Log);
        Assert.DoesNotContain(bridge.Lines, line => line.Contains("lost the broker") || line.Contains("OutOfMemory"));
        Assert.True(peak > idle + Maximum / 1024, $"the message never took memory: VmHWM {peak} KiB, idle {idle} KiB"); // the test measures something
        Assert.True(after < idle + 2048, $"RSS {after} KiB 10 s after the message, idle {idle} KiB");
        Assert.Empty(LogWords.EnumLike(bridge.Lines));
    }
}
