using System.Text;
using MeterBridge.Items;
using MeterBridge.Core;
using Xunit;

namespace MeterBridge.Tests.Core;

/// <summary>What the meter shows while stale under timeout_action zero and invalidate, and after it recovers.</summary>
public sealed class StaleDisplayTests
{
    private static (ItemTable Table, Meter Meter, MeterItems Items) Fed(params string[] payloads)
    {
        var meter = new Meter(new MeterLimits());
        foreach (var payload in payloads) Assert.True(meter.Apply("", Encoding.UTF8.GetBytes(payload)).IsAccepted);
        var table = new ItemTable();
        var items = new MeterItems();
        items.Update(table, meter.State, Staleness.Fresh);
        return (table, meter, items);
    }

    private static BusValue At(ItemTable table, string path) => table[table.Find(path)];

    [Fact]
    public void Zeroed_shows_zero_power_and_current_and_keeps_the_rest()
    {
        var (table, meter, items) = Fed("{\"grid\":{\"power\":1000,\"voltage\":231,\"energy_forward\":5,\"L1\":{\"power\":600},\"L2\":{\"power\":400}}}");
        items.Update(table, meter.State, Staleness.Zeroed);
        foreach (var path in new[] { "/Ac/Power", "/Ac/L1/Power", "/Ac/L2/Power", "/Ac/Current", "/Ac/L1/Current", "/Ac/L2/Current" })
            Assert.Equal(BusValue.Of(0.0), At(table, path));
        Assert.Equal(BusValue.Of(231.0), At(table, "/Ac/Voltage"));
        Assert.Equal(BusValue.Of(5.0), At(table, "/Ac/Energy/Forward"));
        Assert.Equal(BusValue.Of(1), At(table, "/Connected"));
    }

    [Fact]
    public void Invalidated_makes_every_measurement_invalid_and_disconnects()
    {
        var (table, meter, items) = Fed("{\"grid\":{\"power\":1000,\"voltage\":231}}");
        items.Update(table, meter.State, Staleness.Invalidated);
        for (int row = 0; row < Reading.Size; row++)
            if (table.IsPresent(row)) Assert.False(table[row].IsValid, table.Defs[row].Path);
        Assert.Equal(BusValue.Of(0), At(table, "/Connected"));
        Assert.False(table.IsPresent(table.Find("/Ac/L2/Power")));
    }

    [Fact]
    public void After_staleness_the_merged_state_returns()
    {
        var (table, meter, items) = Fed("{\"grid\":{\"power\":1000,\"voltage\":231}}");
        items.Update(table, meter.State, Staleness.Zeroed);
        table.AcceptChanges();
        Assert.True(meter.Apply("", "{\"grid\":{\"energy_forward\":7}}"u8).IsAccepted);
        items.Update(table, meter.State, Staleness.Fresh);
        Assert.Equal(BusValue.Of(1000.0), At(table, "/Ac/Power"));
        Assert.Equal(BusValue.Of(231.0), At(table, "/Ac/Voltage"));
        Assert.Equal(BusValue.Of(7.0), At(table, "/Ac/Energy/Forward"));
    }
}
