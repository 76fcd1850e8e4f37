using Xunit;
using MeterBridge.DBus;
using MeterBridge.Items;
using MeterBridge.Tests.Infrastructure;

namespace MeterBridge.Tests.DBus;

/// <summary>ItemsChanged (and the optional PropertiesChanged) as gdbus monitor sees them.</summary>
[Collection(DBusCollection.Name)]
public sealed class BusItemSignalTests(DBusDaemon bus)
{
    private readonly string _name = TestTables.NewServiceName();

    [Fact]
    public async Task One_ItemsChanged_per_publish_holding_only_the_changed_paths()
    {
        var meter = TestTables.Create(TestTables.FullPayload);
        await using var service = new BusItemService(meter.Table, _name, bus.Address);
        await service.RegisterAsync();
        service.PublishChanges(); // what was set before registration: the scan already read it
        using var monitor = SignalMonitor.Start(bus.Address, _name);

        using (service.Gate.EnterScope())
            meter.Apply("""{"grid":{"power":1600.5,"L1":{"power":600.1}}}""");
        Assert.True(service.PublishChanges());
        Assert.False(service.PublishChanges());
        using (service.Gate.EnterScope())
            meter.Apply("""{"grid":{"L2":{"voltage":229.0}}}""");
        Assert.True(service.PublishChanges());

        var signals = monitor.WaitForSignals("ItemsChanged", 2);
        Assert.Equal(2, signals.Count);
        Assert.StartsWith("/: com.victronenergy.BusItem.ItemsChanged (", signals[0]);
        Assert.Contains("'/Ac/Power': {'Value': <1600.5>, 'Text': <'1600.5 W'>}", signals[0]);
        Assert.Contains("'/Ac/L1/Power': {'Value': <600.10000000000002>, 'Text': <'600.1 W'>}", signals[0]);
        Assert.DoesNotContain("/Ac/L1/Voltage", signals[0]);
        Assert.DoesNotContain("/Ac/L2/Power", signals[0]);
        Assert.DoesNotContain("/DeviceInstance", signals[0]);
        Assert.Contains("'/Ac/L2/Voltage': {'Value': <229.0>, 'Text': <'229.0 V'>}", signals[1]);
        Assert.DoesNotContain("/Ac/Power'", signals[1]);
        Assert.Empty(monitor.Signals("PropertiesChanged"));
    }

    [Fact]
    public async Task PropertiesChanged_on_each_changed_leaf_when_enabled()
    {
        var meter = TestTables.Create(TestTables.FullPayload);
        await using var service = new BusItemService(meter.Table, _name, bus.Address, propertiesChanged: true);
        await service.RegisterAsync();
        service.PublishChanges();
        using var monitor = SignalMonitor.Start(bus.Address, _name);

        using (service.Gate.EnterScope())
            meter.Apply("""{"grid":{"power":1600.5,"L1":{"power":600.1}}}""");
        service.PublishChanges();

        var properties = monitor.WaitForSignals("PropertiesChanged", 2);
        Assert.Equal(2, properties.Count);
        Assert.Contains(properties, line => line.StartsWith("/Ac/Power: com.victronenergy.BusItem.PropertiesChanged ({'Value': <1600.5>, 'Text': <'1600.5 W'>},)"));
        Assert.Contains(properties, line => line.StartsWith("/Ac/L1/Power: com.victronenergy.BusItem.PropertiesChanged ({'Value': <600.10000000000002>"));
        Assert.Single(monitor.Signals("ItemsChanged"));
    }

    [Fact]
    public async Task A_phase_that_appears_later_shows_in_ItemsChanged_GetItems_and_the_tree()
    {
        var meter = TestTables.Create(TestTables.MinimumPayload);
        await using var service = new BusItemService(meter.Table, _name, bus.Address);
        await service.RegisterAsync();
        service.PublishChanges();
        Assert.DoesNotContain("/Ac/L2/Power", Gdbus.Call(bus.Address, _name, "/", "GetItems"));
        Assert.Contains("UnknownObject", Gdbus.CallRaw(bus.Address, _name, "/Ac/L2/Power", "GetValue").Stderr);
        Assert.Contains("UnknownObject", Gdbus.CallRaw(bus.Address, _name, "/Ac/L2", "GetValue").Stderr);
        using var monitor = SignalMonitor.Start(bus.Address, _name);

        using (service.Gate.EnterScope())
            meter.Apply(TestTables.ThreePhasePayload);
        service.PublishChanges();

        var signals = monitor.WaitForSignals("ItemsChanged", 1);
        Assert.Single(signals);
        Assert.Contains("'/Ac/L2/Power': {'Value': <400.0>, 'Text': <'400.0 W'>}", signals[0]);
        Assert.Contains("'/Ac/L3/Power': {'Value': <300.0>, 'Text': <'300.0 W'>}", signals[0]);
        Assert.Contains("'/NrOfPhases': {'Value': <3>", signals[0]);
        Assert.Contains("'/Ac/L3/Power': {'Value': <300.0>", Gdbus.Call(bus.Address, _name, "/", "GetItems"));
        Assert.Equal("(<400.0>,)", Gdbus.Call(bus.Address, _name, "/Ac/L2/Power", "GetValue"));
        Assert.Contains("'Power': <300.0>", Gdbus.Call(bus.Address, _name, "/Ac/L3", "GetValue"));
        var tree = Tool.Run("busctl", $"--address={bus.Address}", "tree", "--list", _name);
        Assert.Contains("/Ac/L3/Power\n", tree.Stdout);
    }

    [Fact]
    public async Task Publishing_allocates_nothing_in_steady_state()
    {
        var meter = TestTables.Create(TestTables.FullPayload);
        await using var service = new BusItemService(meter.Table, _name, bus.Address);
        await service.RegisterAsync();
        using var received = ItemsChangedCounter.Start(bus.Address);
        var table = meter.Table;
        int[] rows = [.. Enumerable.Range(0, 28).Where(table.IsPresent)];
        int sent = 0;
        // One round = one ItemsChanged (every value differs from the round before), then wait until a listener on
        // its own connection has it: the next publish starts with the last one gone, as on a GX at one per second.
        // Paced by the clock instead (1 ms apart), a bus daemon starved of CPU falls behind, more than the library's
        // pool of message buffers (2 per core) is in flight, and each publish then rents a new one (~4.3 kB):
        // the library's backlog, not the steady state this test is about.
        bool Round(int i)
        {
            using (service.Gate.EnterScope())
                foreach (int row in rows) table.Set(row, BusValue.Of(1000.5 + (i % 7) + row));
            service.PublishChanges();
            sent++;
            long deadline = Environment.TickCount64 + 10_000;
            while (received.Count < sent)
            {
                if (Environment.TickCount64 > deadline) return false;
                Thread.Sleep(0);
            }
            return true;
        }
        // Measured on a plain thread like the bridge's publisher, without xunit's context flowing in; everything
        // between the two readings runs on this thread alone (the listener counts on its connection's thread).
        long allocated = -1;
        bool delivered = true;
        Thread loop;
        using (ExecutionContext.SuppressFlow())
        {
            loop = new Thread(() =>
            {
                for (int i = 0; i < 2000 && delivered; i++) delivered = Round(i); // warm up: pools, JIT tiers
                Thread.Sleep(200);
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 1000 && delivered; i++) delivered = Round(i);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            });
            loop.Start();
        }
        loop.Join();

        Assert.True(delivered, $"only {received.Count} of {sent} ItemsChanged arrived");
        Assert.True(allocated < 1000, $"{allocated} bytes allocated on the publishing thread by 1000 PublishChanges of {rows.Length} paths");
    }

    /// <summary>
    /// Counts the ItemsChanged signals on <c>/</c> that reach a connection of its own. Set up synchronously, as
    /// <see cref="SignalClock"/> is: awaited inside the test's async method, the match was never called.
    /// </summary>
    private sealed class ItemsChangedCounter : IDisposable
    {
        private readonly Tmds.DBus.Protocol.DBusConnection _connection;
        private int _count;

        private ItemsChangedCounter(Tmds.DBus.Protocol.DBusConnection connection) => _connection = connection;

        public int Count => Volatile.Read(ref _count);

        public static ItemsChangedCounter Start(string address)
        {
            var connection = new Tmds.DBus.Protocol.DBusConnection(address);
            connection.ConnectAsync().AsTask().GetAwaiter().GetResult();
            var counter = new ItemsChangedCounter(connection);
            connection.AddMatchAsync(
                new Tmds.DBus.Protocol.MatchRule { Type = Tmds.DBus.Protocol.MessageType.Signal, Interface = "com.victronenergy.BusItem", Member = "ItemsChanged", Path = "/" },
                (_, _) => true,
                notification => { if (notification.HasValue) Interlocked.Increment(ref counter._count); },
                emitOnCapturedContext: false, Tmds.DBus.Protocol.ObserverFlags.None).AsTask().GetAwaiter().GetResult();
            return counter;
        }

        public void Dispose() => _connection.Dispose();
    }
}
