using Xunit;
using MeterBridge.Config;
using MeterBridge.DBus;
using MeterBridge.Items;
using MeterBridge.Logging;
using MeterBridge.Setup;
using MeterBridge.Tests.Infrastructure;

namespace MeterBridge.Tests.DBus;

/// <summary>SetValue answers as velib gives them, seen from gdbus.</summary>
[Collection(DBusCollection.Name)]
public sealed class BusItemSetValueTests(DBusDaemon bus)
{
    private readonly string _name = TestTables.NewServiceName();

    private async Task<BusItemService> StartAsync()
    {
        var service = new BusItemService(TestTables.Create(TestTables.FullPayload).Table, _name, bus.Address, MetersWriter());
        await service.RegisterAsync();
        service.PublishChanges(); // the start values: a client's scan reads them with GetItems
        return service;
    }

    /// <summary>The meter's own SetValue rules (<see cref="SettingsSync.Write"/>), with no settings service behind them.</summary>
    private static ItemWriter MetersWriter()
    {
        var sync = new SettingsSync(new DeviceSettings(40), new DeviceSetup(Role.Grid, 40, "MQTT Grid", 0), "MQTT Grid", store: null,
            TimeSpan.Zero, new Log(LogLevel.Error, TextWriter.Null), TimeProvider.System, () => { }, CancellationToken.None);
        return sync.Write;
    }

    private string Call(string path, string method, params string[] args) => Gdbus.Call(bus.Address, _name, path, method, args);

    [Fact]
    public async Task A_measurement_answers_1_and_keeps_its_value()
    {
        await using var service = await StartAsync();
        Assert.Equal("(1,)", Call("/Ac/L1/Power", "SetValue", "<1.0>"));
        Assert.Equal("(1,)", Call("/DeviceInstance", "SetValue", "<7>"));
        Assert.Equal("(<500.10000000000002>,)", Call("/Ac/L1/Power", "GetValue"));
        Assert.Equal("(<40>,)", Call("/DeviceInstance", "GetValue"));
    }

    [Fact]
    public async Task CustomName_takes_a_string_of_at_most_32_characters_and_publishes_it()
    {
        await using var service = await StartAsync();
        using var monitor = SignalMonitor.Start(bus.Address, _name);

        Assert.Equal("(0,)", Call("/CustomName", "SetValue", "<'Kitchen meter'>"));
        Assert.Equal("(<'Kitchen meter'>,)", Call("/CustomName", "GetValue"));
        Assert.Equal("(0,)", Call("/CustomName", "SetValue", "<'Kitchen meter'>"));
        Assert.Equal("(0,)", Call("/CustomName", "SetValue", $"<'{new string('x', 32)}'>"));
        Assert.Equal("(2,)", Call("/CustomName", "SetValue", $"<'{new string('y', 33)}'>"));
        Assert.Equal("(1,)", Call("/CustomName", "SetValue", "<5>"));
        Assert.Equal($"(<'{new string('x', 32)}'>,)", Call("/CustomName", "GetValue"));

        var signals = monitor.WaitForSignals("ItemsChanged", 2);
        Assert.Equal(2, signals.Count);
        Assert.Contains("{'/CustomName': {'Value': <'Kitchen meter'>, 'Text': <'Kitchen meter'>}}", signals[0]);
        Assert.Contains($"'/CustomName': {{'Value': <'{new string('x', 32)}'>", signals[1]);
    }

    [Fact]
    public async Task A_custom_writer_decides_its_rows()
    {
        ItemWriter meters = MetersWriter();
        ItemWriter writer = (table, row, in requested) =>
        {
            if (row != MeterPaths.Role) return meters(table, row, requested);
            if (requested.AsString is not ("grid" or "genset")) return SetValueResult.Rejected;
            table.Set(row, requested);
            return SetValueResult.Accepted;
        };
        await using var service = new BusItemService(TestTables.Create(TestTables.FullPayload).Table, _name, bus.Address, writer);
        await service.RegisterAsync();

        Assert.Equal("(2,)", Call("/Role", "SetValue", "<'boat'>"));
        Assert.Equal("(0,)", Call("/Role", "SetValue", "<'genset'>"));
        Assert.Equal("(<'genset'>,)", Call("/Role", "GetValue"));
        Assert.Equal("(0,)", Call("/CustomName", "SetValue", "<'Shed'>"));
    }
}
