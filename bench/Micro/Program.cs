using System.Diagnostics;
using System.Text;
using MeterBridge.Config;
using MeterBridge.Items;
using MeterBridge.Core;
using MeterBridge.Sources;

// The hot path without I/O: ns and bytes allocated per message, for the seed's full payload, a one-value
// Tasmota message and a Shelly Pro 3EM's em:0 status through its preset. Each message carries a new power value, so every stage does its real work.
// Usage: dotnet run -c Release --project bench/Micro [-- messages]
int messages = args.Length > 0 ? int.Parse(args[0]) : 200_000;

string full = "{\"grid\":{\"power\":1500.5,\"voltage\":231.0,\"current\":6.6,\"energy_forward\":12345.67,\"energy_reverse\":2345.6,\"L1\":{\"power\":500.1,\"voltage\":230.1,\"current\":2.2,\"frequency\":50.01,\"energy_forward\":4000.1,\"energy_reverse\":700.2},\"L2\":{\"power\":600.2,\"voltage\":231.2,\"current\":2.6,\"frequency\":50.02,\"energy_forward\":4100.1,\"energy_reverse\":800.2},\"L3\":{\"power\":400.2,\"voltage\":232.3,\"current\":1.8,\"frequency\":50.03,\"energy_forward\":4245.47,\"energy_reverse\":845.2}}}";
string tasmota = "{\"Time\":\"2023-11-22T21:57:13\",\"grid\":{\"power_L1\":94}}";
// A Shelly Pro 3EM's status/em:0, read by the shelly-gen2-em preset's rules.
string shelly = "{\"id\":0,\"a_current\":10.626,\"a_voltage\":233.9,\"a_act_power\":2407.9,\"a_aprt_power\":2484.2,\"a_pf\":0.97,\"a_freq\":49.98,\"b_current\":1.865,\"b_voltage\":237.1,\"b_act_power\":408.8,\"b_aprt_power\":442.2,\"b_pf\":-0.93,\"b_freq\":49.98,\"c_current\":1.111,\"c_voltage\":237.2,\"c_act_power\":222.8,\"c_aprt_power\":263.3,\"c_pf\":-0.88,\"c_freq\":49.98,\"n_current\":null,\"total_current\":13.602,\"total_act_power\":3039.524,\"total_aprt_power\":3189.632,\"user_calibrated_phase\":[]}";
var shellySettings = SettingsLoader.Load(new SettingsInput { Flags = new Dictionary<string, string> { ["format"] = "shelly-gen2-em", ["topic"] = "shellypro3em" } }).Settings;
const string ShellyTopic = "shellypro3em/status/em:0";

var payloads = new (string Name, byte[][] Messages, MappedSource? Source, string Topic)[]
{
    ("full payload", Variants(full, "1500.5"), null, ""),
    ("Tasmota one value", Variants(tasmota, "94"), null, ""),
    ("Shelly em:0 (preset)", Variants(shelly, "3039.524"), shellySettings.Source, ShellyTopic),
};

Console.WriteLine($"| payload | stage | ns/message | bytes allocated/message |");
Console.WriteLine($"|---|---|---:|---:|");
foreach (var (name, variants, source, topic) in payloads)
{
    var reading = Reading.Empty();
    var decoder = MappedDecoder.For(source);
    Measure(name, "decode", variants, p => decoder.Decode(topic, p, ref reading));

    var meter = new Meter(new MeterLimits(), decoder);
    Measure(name, "decode + check + merge", variants, p => meter.Apply(topic, p));

    var meter2 = new Meter(new MeterLimits(), MappedDecoder.For(source));
    var table = new ItemTable();
    var items = new MeterItems();
    Measure(name, "… + derive + diff", variants, p =>
    {
        meter2.Apply(topic, p);
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
