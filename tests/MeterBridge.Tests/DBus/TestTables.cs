using Xunit;
using MeterBridge.Items;
using MeterBridge.Core;

namespace MeterBridge.Tests.DBus;

/// <summary>Item tables filled the way the bridge fills them: a meter fed a payload, identity rows by hand.</summary>
internal static class TestTables
{
    /// <summary>The "full payload" case of tests/vectors/payloads.json.</summary>
    public const string FullPayload = """{"grid":{"power":1500.5,"voltage":231.0,"current":6.6,"energy_forward":12345.67,"energy_reverse":2345.6,"L1":{"power":500.1,"voltage":230.1,"current":2.2,"frequency":50.01,"energy_forward":4000.1,"energy_reverse":700.2},"L2":{"power":600.2,"voltage":231.2,"current":2.6,"frequency":50.02,"energy_forward":4100.1,"energy_reverse":800.2},"L3":{"power":400.2,"voltage":232.3,"current":1.8,"frequency":50.03,"energy_forward":4245.47,"energy_reverse":845.2}}}""";

    /// <summary>The "minimum payload" case: a total only, mirrored into L1; energies invalid.</summary>
    public const string MinimumPayload = """{"grid":{"power":413}}""";

    /// <summary>The "minimum with L1, L2 and L3" case: two phases appear.</summary>
    public const string ThreePhasePayload = """{"grid":{"power":1200.0,"L1":{"power":500.0},"L2":{"power":400.0},"L3":{"power":300.0}}}""";

    private static int _instance = 40;

    /// <summary>A new, unique service name on the test bus.</summary>
    public static string NewServiceName() => $"com.victronenergy.grid.mqtt_grid_{Interlocked.Increment(ref _instance)}";

    public sealed class Filled(ItemTable table, Meter meter, MeterItems items)
    {
        public ItemTable Table { get; } = table;

        /// <summary>Feeds another payload and updates the table (caller holds the service's gate if registered).</summary>
        public void Apply(string payload)
        {
            var verdict = meter.Apply("", System.Text.Encoding.UTF8.GetBytes(payload));
            if (!verdict.IsAccepted) throw new ArgumentException(verdict.Describe(meter.State.Limits));
            items.Update(Table, meter.State, Staleness.Fresh);
        }
    }

    public static Filled Create(string payload)
    {
        var filled = new Filled(new ItemTable(), new Meter(new MeterLimits()), new MeterItems());
        filled.Apply(payload);
        SetIdentity(filled.Table);
        return filled;
    }

    public static void SetIdentity(ItemTable table)
    {
        table.Set(MeterPaths.UpdateIndex, BusValue.Of(0));
        table.Set(MeterPaths.ErrorCode, BusValue.Of(0));
        table.Set(MeterPaths.DeviceInstance, BusValue.Of(40));
        table.Set(MeterPaths.ProductId, BusValue.Of(0xFFFF));
        table.Set(MeterPaths.ProductName, BusValue.Of("MQTT Grid"));
        table.Set(MeterPaths.CustomName, BusValue.Of(""));
        table.Set(MeterPaths.FirmwareVersion, BusValue.Of("0.1.0"));
        table.Set(MeterPaths.HardwareVersion, BusValue.Of("MQTT"));
        table.Set(MeterPaths.Serial, BusValue.Of("mqtt_grid_40"));
        table.Set(MeterPaths.ProcessName, BusValue.Of("/data/meterbridge/meterbridge"));
        table.Set(MeterPaths.ProcessVersion, BusValue.Of("0.1.0"));
        table.Set(MeterPaths.Connection, BusValue.Of("MQTT localhost:1883 meters/grid"));
        table.Set(MeterPaths.AllowedRoles, BusValue.Of(["grid", "pvinverter", "genset", "acload", "heatpump"]));
        table.Set(MeterPaths.Role, BusValue.Of("grid"));
    }
}
