using System.Text;
using MeterBridge.Items;
using MeterBridge.Core;
using Xunit;

namespace MeterBridge.Tests.Items;

public class ItemTableTests
{
    [Fact]
    public void Only_changed_values_are_listed_and_equal_values_are_not_changes()
    {
        var table = new ItemTable();
        table.Set(0, BusValue.Of(1.0));
        table.Set(1, BusValue.Of(2.0));
        table.Set(0, BusValue.Of(3.0));
        Assert.Equal([0, 1], table.Changed.ToArray());
        table.AcceptChanges();
        table.Set(0, BusValue.Of(3.0));
        table.Set(1, BusValue.Invalid);
        Assert.Equal([1], table.Changed.ToArray());
    }

    [Fact]
    public void A_second_identical_message_changes_nothing()
    {
        var meter = new Meter(new MeterLimits());
        var table = new ItemTable();
        var items = new MeterItems();
        byte[] payload = Encoding.UTF8.GetBytes("{\"grid\":{\"power\":100,\"L1\":{\"power\":50},\"L2\":{\"power\":50}}}");
        meter.Apply("", payload);
        items.Update(table, meter.State, Staleness.Fresh);
        table.AcceptChanges();
        meter.Apply("", payload);
        items.Update(table, meter.State, Staleness.Fresh);
        Assert.Equal(0, table.Changed.Length);

        meter.Apply("", "{\"grid\":{\"L2\":{\"power\":60}}}"u8);
        items.Update(table, meter.State, Staleness.Fresh);
        var changed = table.Changed.ToArray().Select(row => table.Defs[row].Path).Order().ToArray();
        Assert.Equal(["/Ac/L2/Current", "/Ac/L2/Power"], changed);
    }

    [Fact]
    public void The_core_allocates_nothing_per_message_in_steady_state()
    {
        var meter = new Meter(new MeterLimits());
        var table = new ItemTable();
        var items = new MeterItems();
        var payloads = Enumerable.Range(0, 100).Select(i => Encoding.UTF8.GetBytes(
            $"{{\"Time\":\"x\",\"grid\":{{\"power\":\"{i}.5\",\"L1\":{{\"power\":{i},\"voltage\":230.{i % 10}}},\"energy_forward_L2\":{i}}}}}")).ToArray();
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Assert.True(meter.Apply("", payloads[i % payloads.Length]).IsAccepted);
                items.Update(table, meter.State, Staleness.Fresh);
                table.AcceptChanges();
            }
        }
        Run(1000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(1234.5, TextFormat.Watt, "1234.5 W")]
    [InlineData(230.14, TextFormat.Volt, "230.1 V")]
    [InlineData(5.44, TextFormat.Ampere, "5.4 A")]
    [InlineData(50.005, TextFormat.Hertz, "50.01 Hz")]
    [InlineData(0.95, TextFormat.PowerFactor, "0.950")]
    [InlineData(1234.555, TextFormat.KiloWattHour, "1234.56 kWh")]
    [InlineData(65535, TextFormat.Hex, "0xFFFF")]
    [InlineData(3, TextFormat.Integer, "3")]
    public void Texts_have_units_in_invariant_culture(double value, TextFormat format, string text)
    {
        var bus = format is TextFormat.Hex or TextFormat.Integer ? BusValue.Of((int)value) : BusValue.Of(value);
        Assert.Equal(text, ItemText.ToString(bus, format));
    }

    [Fact]
    public void Invalid_reads_three_dashes() => Assert.Equal("---", ItemText.ToString(BusValue.Invalid, TextFormat.Watt));

    [Fact]
    public void Every_path_is_unique_and_absolute()
    {
        var paths = MeterPaths.All.Select(d => d.Path).ToList();
        Assert.Equal(paths.Count, paths.Distinct().Count());
        Assert.All(paths, p => Assert.StartsWith("/", p));
        Assert.Equal("/Ac/L3/Energy/Reverse", paths[MeterPaths.Measurement(Location.L3, Quantity.EnergyReverse)]);
        Assert.Equal("/DeviceInstance", paths[MeterPaths.DeviceInstance]);
    }
}
