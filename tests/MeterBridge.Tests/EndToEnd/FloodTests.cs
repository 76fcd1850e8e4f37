using System.Diagnostics;
using System.Text;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>A publisher gone mad: 2000 bad payloads leave the last good values in place and a short log.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class FloodTests
{
    [Fact]
    public void Two_thousand_bad_payloads_leave_the_last_good_values_and_a_summarised_log()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();
        rig.Publish("""{"grid":{"power":100.0,"L1":{"power":100.0,"voltage":229.5}}}""");
        rig.WaitForValue("/Ac/L1/Voltage", "(<229.5>,)", bridge: bridge);

        // Invalid UTF-8 can only travel in a file (-f); the rest go one message a line (-l), in order.
        string folder = Directory.CreateTempSubdirectory("mb-flood-").FullName;
        try
        {
            string invalidUtf8 = Path.Combine(folder, "bad.bin");
            File.WriteAllBytes(invalidUtf8, [.. "{\"grid\":{\"power\":1"u8, 0xC3, 0x28, 0xFF, .. "}}"u8]);
            for (int i = 0; i < 20; i++) MosquittoPub(rig, "", "-f", invalidUtf8);

            string[] bad =
            [
                "not json at all",
                """{"grid":{"power":999999}}""",
                """{"grid":{"power":"four hundred"}}""",
                """{"grid":{"L1":{"power":"x"}}}""",
                """{"grid":""",
                "[1,2,3]",
            ];
            var lines = new StringBuilder();
            for (int i = 0; i < 1980; i++) lines.Append(bad[i % bad.Length]).Append('\n');
            lines.Append("""{"grid":{"power":4321.5,"L1":{"power":4321.5,"voltage":230.7}}}""").Append('\n');
            PublishLines(rig, lines.ToString());
        }
        finally { Directory.Delete(folder, recursive: true); }

        rig.WaitForValue("/Ac/Power", "(<4321.5>,)", TimeSpan.FromSeconds(10), bridge);
        rig.AssertValue("/Ac/L1/Power", "(<4321.5>,)");
        rig.AssertValue("/Ac/L1/Voltage", "(<230.7>,)");
        Assert.True(bridge.IsRunning);
        Assert.True(bridge.Lines.Count < 50, $"{bridge.Lines.Count} log lines for 2000 bad messages:\n" + bridge.Log);
        Assert.Contains(bridge.Lines, line => line.Contains("rejected"));
    }

    /// <summary>mosquitto_pub -l: one message per line of standard input, one connection, in order.</summary>
    private static void PublishLines(Rig rig, string lines) => MosquittoPub(rig, lines, "-l");

    private static void MosquittoPub(Rig rig, string stdin, params string[] args)
    {
        using var pub = Process.Start(new ProcessStartInfo("mosquitto_pub",
            ["-h", "127.0.0.1", "-p", rig.Broker.Port.ToString(), "-t", Rig.Topic, .. args])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardError = true,
        })!;
        pub.StandardInput.Write(stdin);
        pub.StandardInput.Close();
        Assert.True(pub.WaitForExit(20000), "mosquitto_pub -l hung");
        Assert.True(pub.ExitCode == 0, "mosquitto_pub -l failed: " + pub.StandardError.ReadToEnd());
    }
}
