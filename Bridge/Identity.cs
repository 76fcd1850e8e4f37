using System.Reflection;
using MeterBridge.Config;
using MeterBridge.Items;

namespace MeterBridge.Bridge;

/// <summary>The rows that say what the service is (velib's mandatory paths, role and instance), from the settings.</summary>
public static class Identity
{
    public static string Version { get; } =
        typeof(Identity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The Python driver's rule: the exact value "MQTT Grid" means "MQTT " + the role's name.</summary>
    public static string CustomName(string deviceName, Role role) =>
        deviceName == "MQTT Grid" ? "MQTT " + RoleNames.Display(role) : deviceName;

    public static void Fill(ItemTable table, Settings settings, Role role, int position)
    {
        table.Set(MeterPaths.DeviceInstance, BusValue.Of(settings.DeviceInstance));
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
        if (!table.IsPresent(MeterPaths.CustomName)) table.Set(MeterPaths.CustomName, BusValue.Of(CustomName(settings.DeviceName, role)));
        table.Set(MeterPaths.AllowedRoles, BusValue.Of(RoleNames.Allowed));
        table.Set(MeterPaths.Role, BusValue.Of(RoleNames.Of(role)));

        if (role == Role.Grid) table.Remove(MeterPaths.IsGenericEnergyMeter);
        else table.Set(MeterPaths.IsGenericEnergyMeter, BusValue.Of(1));
        if (role is Role.AcLoad or Role.HeatPump or Role.PvInverter) table.Set(MeterPaths.Position, BusValue.Of(position));
        else table.Remove(MeterPaths.Position);
    }
}
