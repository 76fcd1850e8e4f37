using System.Reflection;
using MeterBridge.Config;
using MeterBridge.Items;

namespace MeterBridge.Setup;

/// <summary>The rows that say what the service is (velib's mandatory paths, role, VRM instance, name, position).</summary>
internal static class Identity
{
    public static string Version { get; } =
        typeof(Identity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void Fill(ItemTable table, Settings settings, DeviceSetup setup)
    {
        Role role = setup.Role;
        table.Set(MeterPaths.DeviceInstance, BusValue.Of(setup.Instance));
        table.Set(MeterPaths.ProductId, BusValue.Of(0xFFFF));
        table.Set(MeterPaths.ProductName, BusValue.Of("MQTT " + RoleNames.Display(role)));
        table.Set(MeterPaths.FirmwareVersion, BusValue.Of(Version));
        table.Set(MeterPaths.HardwareVersion, BusValue.Of("MeterBridge"));
        table.Set(MeterPaths.Serial, BusValue.Of($"mqtt_{settings.DeviceInstance}"));
        table.Set(MeterPaths.ProcessName, BusValue.Of(Environment.ProcessPath ?? "meterbridge"));
        table.Set(MeterPaths.ProcessVersion, BusValue.Of(Version));
        table.Set(MeterPaths.Connection, BusValue.Of($"MQTT {settings.BrokerAddress}:{settings.BrokerPort} {settings.Topic}"));
        table.Set(MeterPaths.ErrorCode, BusValue.Of(0));
        if (!table.IsPresent(MeterPaths.UpdateIndex)) table.Set(MeterPaths.UpdateIndex, BusValue.Of(0));
        table.Set(MeterPaths.CustomName, BusValue.Of(setup.CustomName));
        table.Set(MeterPaths.AllowedRoles, BusValue.Of(RoleNames.Allowed));
        table.Set(MeterPaths.Role, BusValue.Of(RoleNames.Of(role)));

        // Rows of some roles only. A new role means a new registration, which drops the withdrawn ones (ItemTable.DropWithdrawn).
        if (role == Role.Grid) table.Withdraw(MeterPaths.IsGenericEnergyMeter);
        else table.Set(MeterPaths.IsGenericEnergyMeter, BusValue.Of(1));
        if (DeviceSetup.HasPosition(role)) table.Set(MeterPaths.Position, BusValue.Of(setup.Position));
        else table.Withdraw(MeterPaths.Position);
    }
}
