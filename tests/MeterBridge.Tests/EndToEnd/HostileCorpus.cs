using System.Text;
using MeterBridge.Core;
using MeterBridge.Tests.Infrastructure;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// Payloads a broken or malicious publisher could send, generated from a seed (the same corpus on every run):
/// invalid UTF-8, binary noise, 1 MB payloads, 100 000-deep nesting, numbers out of range, duplicate keys,
/// every JSON type at every known key, and random mutations of every payload of tests/vectors/payloads.json.
/// </summary>
public static class HostileCorpus
{
    public const int MinimumCount = 10_000;
    public const int Depth = 100_000;
    public const int Huge = 1 << 20;

    private const string Good = """{"grid":{"power":12.5}}""";

    /// <summary>Every value of every JSON type, valid and not, that a known key is given in turn.</summary>
    private static readonly string[] Values =
    [
        "null", "true", "false", "0", "1.5", "-1.5", "1e3", "\"\"", "\"x\"", "\"1.5\"", "\" 2 \"", "\"NaN\"", "\"Infinity\"",
        "[]", "[1]", "{}", "{\"power\":1}",
    ];

    /// <summary>Numbers a double cannot hold or JSON does not allow, as literals and as strings.</summary>
    private static readonly string[] Numbers =
    [
        "1e309", "-1e309", "-1e400", "1e-400", "99999999999999999999999", "-99999999999999999999999", "NaN", "-NaN", "Infinity",
        "-Infinity", "+1", "01", ".5", "1.", "0x10", "1e", "-", "1e+", "--1", "1_000", "\"1e309\"", "\"-1e400\"", "\"0x10\"",
        "1" + new string('0', 400), "0." + new string('0', 400) + "1", "4.9e-324", "1.7976931348623157e308", "-0",
    ];

    private static readonly byte[][] BadUtf8 =
    [
        [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xF5], [0xFF], [0xFE], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
    ];

    public static List<byte[]> Build(int seed)
    {
        var random = new Random(seed);
        var corpus = new List<byte[]>();
        InvalidUtf8(corpus);
        Noise(corpus, random, 500);
        HugePayloads(corpus, random);
        DeepNesting(corpus);
        OutOfRangeNumbers(corpus);
        DuplicateKeys(corpus);
        EveryTypeAtEveryKey(corpus);
        Mutations(corpus, random, MinimumCount - corpus.Count);
        return corpus;
    }

    /// <summary>Each bad sequence at every position of a good payload, in a key and in a string.</summary>
    private static void InvalidUtf8(List<byte[]> corpus)
    {
        byte[] good = Encoding.UTF8.GetBytes(Good);
        foreach (var bad in BadUtf8)
        {
            for (int at = 0; at <= good.Length; at++) corpus.Add([.. good[..at], .. bad, .. good[at..]]);
            corpus.Add([.. "{\"grid\":{\"pow"u8, .. bad, .. "er\":1}}"u8]);
            corpus.Add([.. "{\"Time\":\""u8, .. bad, .. "\",\"grid\":{\"power\":1}}"u8]);
            corpus.Add([.. "{\"grid\":{\"power\":\"1"u8, .. bad, .. "\"}}"u8]);
        }
    }

    /// <summary>Random bytes, some starting like JSON so the parser gets further than the first byte.</summary>
    private static void Noise(List<byte[]> corpus, Random random, int count)
    {
        for (int i = 0; i < count; i++)
        {
            var bytes = new byte[random.Next(1, 2048)];
            random.NextBytes(bytes);
            if (i % 3 == 0) bytes[0] = (byte)'{';
            corpus.Add(bytes);
        }
        corpus.Add([]);
    }

    /// <summary>
    /// 1 MB of noise, of digits, of padding around a good payload, and payloads either side of the default limit
    /// (65 536 bytes). With a limit of 2 MB the padded ones are valid messages.
    /// </summary>
    private static void HugePayloads(List<byte[]> corpus, Random random)
    {
        var noise = new byte[Huge];
        random.NextBytes(noise);
        corpus.Add(noise);
        corpus.Add(Encoding.UTF8.GetBytes("{\"grid\":{\"power\":" + new string('1', Huge) + "}}"));
        corpus.Add(Encoding.UTF8.GetBytes("{\"grid\":{\"power\":3.5,\"pad\":\"" + new string('x', Huge) + "\"}}"));
        corpus.Add(Encoding.UTF8.GetBytes(new string(' ', Huge) + Good));
        corpus.Add(Encoding.UTF8.GetBytes("{\"grid\":{\"power\":\"" + new string(' ', Huge) + "7\"}}"));
        foreach (int size in (int[])[65535, 65536, 65537])
            corpus.Add(Encoding.UTF8.GetBytes(Good + new string(' ', size - Good.Length)));
    }

    /// <summary>100 000 levels of arrays and objects, closed and unclosed, at the root and inside grid.</summary>
    private static void DeepNesting(List<byte[]> corpus)
    {
        corpus.Add(Encoding.UTF8.GetBytes(new string('[', Depth)));
        corpus.Add(Encoding.UTF8.GetBytes(new string('[', Depth) + new string(']', Depth)));
        corpus.Add(Encoding.UTF8.GetBytes(Repeat("{\"a\":", Depth)));
        corpus.Add(Encoding.UTF8.GetBytes(Repeat("{\"a\":", Depth) + "1" + new string('}', Depth)));
        corpus.Add(Encoding.UTF8.GetBytes(Repeat("{\"grid\":", Depth) + "1" + new string('}', Depth)));
        corpus.Add(Encoding.UTF8.GetBytes("{\"grid\":{\"power\":1,\"L1\":" + Repeat("{\"L1\":", Depth) + new string('}', Depth + 2)));
        corpus.Add(Encoding.UTF8.GetBytes("{\"grid\":{\"power\":" + new string('[', Depth) + new string(']', Depth) + "}}"));
    }

    private static void OutOfRangeNumbers(List<byte[]> corpus)
    {
        foreach (string number in Numbers)
        {
            foreach (string spot in Spots(number)) corpus.Add(Encoding.UTF8.GetBytes(spot));
            corpus.Add(Encoding.UTF8.GetBytes(number));
        }
    }

    private static void DuplicateKeys(List<byte[]> corpus)
    {
        string[] payloads =
        [
            """{"grid":{"power":1,"power":2}}""",
            """{"grid":{"power":1,"power":"x"}}""",
            """{"grid":{"power":"x","power":1}}""",
            """{"grid":{"power":1,"power":999999}}""",
            """{"grid":{"power":1},"grid":{"power":2}}""",
            """{"grid":{"power":1},"grid":3}""",
            """{"grid":3,"grid":{"power":1}}""",
            """{"grid":{"L1":{"power":1},"L1":{"power":2}}}""",
            """{"grid":{"L1":{"power":1},"L1":null}}""",
            """{"grid":{"L1":{"power":1,"power":-2}}}""",
            """{"grid":{"power_L1":1,"power_L1":2,"L1":{"power":3}}}""",
            """{"grid":{"voltage":230,"voltage":-1}}""",
        ];
        foreach (string payload in payloads) corpus.Add(Encoding.UTF8.GetBytes(payload));
    }

    /// <summary>Each value of <see cref="Values"/> at every quantity spot, at grid, at L1..L3, and as the message.</summary>
    private static void EveryTypeAtEveryKey(List<byte[]> corpus)
    {
        foreach (string value in Values)
        {
            foreach (string spot in Spots(value)) corpus.Add(Encoding.UTF8.GetBytes(spot));
            corpus.Add(Encoding.UTF8.GetBytes(value));
            corpus.Add(Encoding.UTF8.GetBytes($"{{\"grid\":{value}}}"));
            corpus.Add(Encoding.UTF8.GetBytes($"{{\"Time\":1,\"grid\":{value}}}"));
            foreach (string phase in (string[])["L1", "L2", "L3"])
            {
                corpus.Add(Encoding.UTF8.GetBytes($"{{\"grid\":{{\"{phase}\":{value}}}}}"));
                corpus.Add(Encoding.UTF8.GetBytes($"{{\"grid\":{{\"power\":1,\"{phase}\":{value}}}}}"));
            }
        }
    }

    /// <summary>
    /// The value at every place a quantity can stand (total, nested phase, flat Tasmota phase), alone and
    /// beside a good quantity (so a bad value must reject the whole message, not just itself).
    /// </summary>
    private static IEnumerable<string> Spots(string value)
    {
        foreach (var quantity in Enum.GetValues<Quantity>())
        {
            string key = QuantityKeys.Of(quantity);
            yield return $"{{\"grid\":{{\"{key}\":{value}}}}}";
            yield return $"{{\"grid\":{{\"power\":1,\"{key}\":{value}}}}}";
            foreach (string phase in (string[])["L1", "L2", "L3"])
            {
                yield return $"{{\"grid\":{{\"{phase}\":{{\"{key}\":{value}}}}}}}";
                yield return $"{{\"grid\":{{\"{phase}\":{{\"power\":1,\"{key}\":{value}}}}}}}";
                yield return $"{{\"grid\":{{\"{key}_{phase}\":{value}}}}}";
            }
        }
    }

    /// <summary>One to three byte flips, truncations, insertions or deletions of each vector payload in turn.</summary>
    private static void Mutations(List<byte[]> corpus, Random random, int atLeast)
    {
        var originals = PayloadVectors.All.SelectMany(c => c.Steps).Select(s => Encoding.UTF8.GetBytes(s.Payload)).ToArray();
        int each = Math.Max(10, (atLeast + originals.Length - 1) / originals.Length);
        byte[] tokens = "{}[]\",:-+.eE0123456789 nulltruefalse\\"u8.ToArray();
        foreach (byte[] original in originals)
        {
            for (int i = 0; i < each; i++)
            {
                var bytes = new List<byte>(original);
                for (int n = random.Next(1, 4); n > 0 && bytes.Count > 0; n--)
                {
                    int at = random.Next(bytes.Count);
                    switch (random.Next(4))
                    {
                        case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                        case 1: bytes.RemoveRange(at, bytes.Count - at); break;
                        case 2: bytes.Insert(at, random.Next(2) == 0 ? tokens[random.Next(tokens.Length)] : (byte)random.Next(256)); break;
                        default: bytes.RemoveRange(at, Math.Min(random.Next(1, 5), bytes.Count - at)); break;
                    }
                }
                corpus.Add([.. bytes]);
            }
        }
    }

    private static string Repeat(string text, int times) => new StringBuilder(text.Length * times).Insert(0, text, times).ToString();
}
