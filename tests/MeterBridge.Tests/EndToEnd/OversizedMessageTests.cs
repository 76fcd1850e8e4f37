using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// A message far beyond max_payload_size must not reach MQTTnet, which would allocate it whole: a retained 20 MB
/// message used to exhaust the 32 MiB heap on every connect, and the bridge reconnected every second forever.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OversizedMessageTests
{
    [Theory]
    [InlineData("3.1.1")] // the bridge reads past it
    [InlineData("5")]     // the broker drops it: the CONNECT announces a maximum packet size
    public void A_retained_20_MB_message_is_skipped_and_the_next_normal_message_arrives(string version)
    {
        using var rig = new Rig();
        string big = Path.Combine(Path.GetTempPath(), $"mb-big-{Guid.NewGuid():N}.json");
        try
        {
            // 20 MB of a valid-looking payload: {"grid":{"power":1,"pad":"xxxx…"}}
            File.WriteAllText(big, "{\"grid\":{\"power\":1,\"pad\":\"" + new string('x', 20 * 1024 * 1024) + "\"}}");
            rig.Broker.MosquittoPub("-t", Rig.Topic, "-f", big, "-r", "-q", "1");
        }
        finally { File.Delete(big); }

        var bridge = rig.StartBridge(extra: ["--mqtt-version", version]);
        if (version == "3.1.1")
            Assert.True(bridge.WaitForLine("(skipped unread)", Rig.Deadline), "no line about the big message:\n" + bridge.Log);
        rig.Publish("""{"grid":{"power":77.0}}""");
        rig.WaitForValue("/Ac/Power", "(<77.0>,)", bridge: bridge);

        Thread.Sleep(3000); // a reconnect loop would show within this
        Assert.True(bridge.IsRunning, bridge.Log);
        Assert.Equal(1, bridge.Lines.Count(line => line.Contains("subscribed to")));
        Assert.DoesNotContain(bridge.Lines, line => line.Contains("lost the broker"));
        Assert.True(bridge.Lines.Count(line => line.Contains("(skipped unread)")) <= 1, bridge.Log);
        // Never stored: the whole process stays below the size of the message itself.
        var (rss, peak) = ProcStatus.Memory(bridge.Id);
        Console.WriteLine($"mqtt {version}: a 20 MiB retained message skipped, RSS {rss} KiB, VmHWM {peak} KiB");
        Assert.True(peak < 20 * 1024, $"VmHWM {peak} KiB");
    }
}
