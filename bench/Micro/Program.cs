using System.Diagnostics;
using System.Text;
using MeterBridge.Items;
using MeterBridge.Meter;

// The hot path without I/O: ns and bytes allocated per message, for the seed's full payload and a one-value
// Tasmota message. Each message carries a new power value, so every stage does its real work.
// Usage: dotnet run -c Release --project bench/Micro [-- messages]
int messages = args.Length > 0 ? int.Parse(args[0]) : 200_000;

string full = "{\"grid\":{\"power\":1500.5,\"voltage\":231.0,\"current\":6.6,\"energy_forward\":12345.67,\"energy_reverse\":2345.6,\"L1\":{\"power\":500.1,\"voltage\":230.1,\"current\":2.2,\"frequency\":50.01,\"energy_forward\":4000.1,\"energy_reverse\":700.2},\"L2\":{\"power\":600.2,\"voltage\":231.2,\"current\":2.6,\"frequency\":50.02,\"energy_forward\":4100.1,\"energy_reverse\":800.2},\"L3\":{\"power\":400.2,\"voltage\":232.3,\"current\":1.8,\"frequency\":50.03,\"energy_forward\":4245.47,\"energy_reverse\":845.2}}}";
string tasmota = "{\"Time\":\"2023-11-22T21:57:13\",\"grid\":{\"power_L1\":94}}";

var payloads = new (string Name, byte[][] Messages)[]
{
    ("full payload", Variants(full, "1500.5")),
    ("Tasmota one value", Variants(tasmota, "94")),
};

Console.WriteLine($"| payload | stage | ns/message | bytes allocated/message |");
Console.WriteLine($"|---|---|---:|---:|");
foreach (var (name, variants) in payloads)
{
    var reading = Reading.Empty();
    Measure(name, "decode", variants, p => PayloadDecoder.Decode(p, ref reading));

    var meter = new Meter(new MeterLimits());
    Measure(name, "decode + check + merge", variants, p => meter.Apply(p));

    var meter2 = new Meter(new MeterLimits());
    var table = new ItemTable();
    var items = new MeterItems();
    Measure(name, "… + derive + diff", variants, p =>
    {
        meter2.Apply(p);
        items.Update(table, meter2.State, Staleness.Fresh);
        table.AcceptChanges();
    });
}

void Measure(string payload, string stage, byte[][] variants, Action<byte[]> step)
{
    for (int i = 0; i < 20_000; i++) step(variants[i % variants.Length]); // warm up and tier up
    long bytes = GC.GetAllocatedBytesForCurrentThread();
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < messages; i++) step(variants[i % variants.Length]);
    clock.Stop();
    bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
    Console.WriteLine($"| {payload} | {stage} | {clock.Elapsed.TotalNanoseconds / messages:F0} | {(double)bytes / messages:F2} |");
}

// 1000 copies of a payload, each with another power value.
static byte[][] Variants(string payload, string power) =>
    Enumerable.Range(0, 1000).Select(i => Encoding.UTF8.GetBytes(payload.Replace(power, (100 + i * 0.5).ToString("R", System.Globalization.CultureInfo.InvariantCulture)))).ToArray();
