using System.Text;
using System.Text.Json;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Binary;

/// <summary><c>decode</c> judges the bytes a bridge would get, from standard input and from a file alike, and streams a
/// file of any size (issue 16, items 10 and 11).</summary>
public class DecodeBytesTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private static List<JsonElement> Results(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];

    [Fact]
    public void Invalid_UTF8_is_rejected_as_the_bridge_rejects_it()
    {
        byte[] input = [.. "{\"grid\":{\"power\":7},\"x\":\""u8, 0xFF, 0xFE, .. "\"}\n"u8];
        var (code, stdout, stderr) = AotBinary.Run(["decode"], input);
        Assert.True(code == 0, stderr);
        var result = Assert.Single(Results(stdout));
        Assert.False(result.GetProperty("accepted").GetBoolean());
        Assert.Equal("not valid JSON", result.GetProperty("reason").GetString());
    }

    [Fact]
    public void A_byte_order_mark_and_blanks_are_ignored_on_standard_input_and_in_a_file_alike()
    {
        byte[] input = [.. Bom, .. " {\"grid\":{\"power\":-250.5}} \n"u8, .. " "u8, .. Bom, .. "{\"grid\":{\"power\":12}}\r\n"u8];
        string file = Path.Combine(Path.GetTempPath(), $"mb-bom-{Guid.NewGuid():N}.txt");
        File.WriteAllBytes(file, input);
        try
        {
            foreach (var (code, stdout, stderr) in new[] { AotBinary.Run(["decode"], input), AotBinary.Run(["decode", file], (byte[]?)null) })
            {
                Assert.True(code == 0, stderr);
                var results = Results(stdout);
                Assert.Equal(2, results.Count);
                Assert.All(results, r => Assert.True(r.GetProperty("accepted").GetBoolean(), r.ToString()));
                Assert.Equal(-250.5, results[0].GetProperty("paths").GetProperty("/Ac/Power").GetDouble());
                Assert.Equal(12, results[1].GetProperty("paths").GetProperty("/Ac/Power").GetDouble());
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_15_MB_file_gives_one_output_line_per_input_line()
    {
        // 250 lines of 60 000 bytes (under max_payload_size) and one of 1 MB (over it): 16 MB in all, more than the
        // binary's 32 MiB heap could hold as text.
        string padding = new('x', 60_000 - 40);
        string file = Path.Combine(Path.GetTempPath(), $"mb-large-{Guid.NewGuid():N}.txt");
        using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
        {
            for (int i = 0; i < 250; i++)
                writer.Write($"{{\"grid\":{{\"power\":{i}}},\"pad\":\"{padding}\"}}\n");
            writer.Write($"{{\"grid\":{{\"power\":1}},\"pad\":\"{new string('y', 1_000_000)}\"}}\n");
        }
        try
        {
            Assert.True(new FileInfo(file).Length > 15_000_000);
            var (code, stdout, stderr) = AotBinary.Run(["decode", file], (byte[]?)null, timeoutMs: 120_000);
            Assert.True(code == 0, $"exit {code}: {stderr}");
            var results = Results(stdout);
            Assert.Equal(251, results.Count);
            Assert.Equal(249, results[249].GetProperty("paths").GetProperty("/Ac/Power").GetDouble());
            Assert.False(results[250].GetProperty("accepted").GetBoolean());
            Assert.StartsWith("payload of 1000029 bytes is larger than max_payload_size", results[250].GetProperty("reason").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
