using System.Diagnostics;
using Xunit;
using MeterBridge.DBus;
using MeterBridge.Items;
using MeterBridge.Tests.Infrastructure;

namespace MeterBridge.Tests.DBus;

/// <summary>Registering last, a taken name, unregistering and registering anew, losing the bus.</summary>
[Collection(DBusCollection.Name)]
public sealed class BusItemRegistrationTests(DBusDaemon bus)
{
    private readonly string _name = TestTables.NewServiceName();

    [Fact]
    public async Task A_taken_name_throws_BusNameTakenException_naming_it()
    {
        await using var first = new BusItemService(TestTables.Create(TestTables.FullPayload).Table, _name, bus.Address);
        await first.RegisterAsync();
        await using var second = new BusItemService(TestTables.Create(TestTables.FullPayload).Table, _name, bus.Address);

        var error = await Assert.ThrowsAsync<BusNameTakenException>(second.RegisterAsync);

        Assert.Equal(_name, error.Name);
        Assert.Contains(_name, error.Message);
        Assert.False(second.IsRegistered);
        Assert.Equal("(<40>,)", Gdbus.Call(bus.Address, _name, "/DeviceInstance", "GetValue"));
    }

    [Fact]
    public async Task A_client_that_scans_when_the_name_appears_gets_the_whole_table()
    {
        // gdbus wait returns on NameOwnerChanged; GetItems follows at once, like dbusmonitor's scan.
        using var client = Tool.Start("sh", "-c",
            $"gdbus wait --address '{bus.Address}' --timeout 20 {_name} && " +
            $"gdbus call --address '{bus.Address}' --dest {_name} --object-path / --method com.victronenergy.BusItem.GetItems");
        Thread.Sleep(300);
        await using var service = new BusItemService(TestTables.Create(TestTables.FullPayload).Table, _name, bus.Address);
        await service.RegisterAsync();

        string items = await client.StandardOutput.ReadToEndAsync();
        await client.WaitForExitAsync();
        Assert.True(client.ExitCode == 0, await client.StandardError.ReadToEndAsync());
        Assert.Contains("'/DeviceInstance': {'Value': <40>", items);
        Assert.Contains("'/Ac/L3/Power': {'Value':", items);
        Assert.Contains("'/Mgmt/Connection': {'Value':", items);
    }

    [Fact]
    public async Task Unregister_releases_the_name_and_register_works_again_under_a_new_one()
    {
        await using var service = new BusItemService(TestTables.Create(TestTables.FullPayload).Table, _name, bus.Address);
        await service.RegisterAsync();
        Assert.Throws<InvalidOperationException>(() => service.ServiceName = "com.victronenergy.genset.x");

        await service.UnregisterAsync();
        Assert.False(service.IsRegistered);
        Assert.DoesNotContain(_name, ListNames());
        Assert.False(service.PublishChanges());

        string renamed = TestTables.NewServiceName().Replace(".grid.", ".genset.");
        service.ServiceName = renamed;
        await service.RegisterAsync();
        Assert.Contains(renamed, ListNames());
        Assert.Equal("(<40>,)", Gdbus.Call(bus.Address, renamed, "/DeviceInstance", "GetValue"));
        Assert.False(service.ConnectionLost.IsCompleted);
    }

    [Fact]
    public async Task Unregistering_and_registering_again_drops_the_name_and_takes_it_again()
    {
        await using var service = new BusItemService(TestTables.Create(TestTables.FullPayload).Table, _name, bus.Address);
        await service.RegisterAsync();
        using var watch = Tool.Start("dbus-monitor", "--address", bus.Address,
            $"type='signal',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='{_name}'");
        Thread.Sleep(500);

        await service.UnregisterAsync();
        await service.RegisterAsync();

        Thread.Sleep(500);
        watch.Kill();
        string seen = await watch.StandardOutput.ReadToEndAsync();
        Assert.Equal(2, CountOf(seen, "member=NameOwnerChanged"));
        Assert.Equal("(<40>,)", Gdbus.Call(bus.Address, _name, "/DeviceInstance", "GetValue"));
    }

    [Fact]
    public async Task Losing_the_bus_completes_ConnectionLost()
    {
        using var ownBus = new DBusDaemon();
        await using var service = new BusItemService(TestTables.Create(TestTables.FullPayload).Table, _name, ownBus.Address);
        await service.RegisterAsync();
        Assert.False(service.ConnectionLost.IsCompleted);

        ownBus.Kill();

        var completed = await Task.WhenAny(service.ConnectionLost, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(service.ConnectionLost, completed);
        Assert.NotNull(await service.ConnectionLost);
        Assert.False(service.IsRegistered);
    }

    private string ListNames() =>
        Tool.Run("busctl", $"--address={bus.Address}", "list", "--no-pager").Stdout;

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
