using MeterBridge.Config;

namespace MeterBridge.Setup;

/// <summary>
/// What a user sets up for a meter on the GX: its role, VRM instance, name and position. The settings service keeps
/// it when there is one; otherwise it starts from the config and lives in memory.
/// </summary>
/// <param name="Instance">The VRM instance: <c>/DeviceInstance</c>. Not the service name's id, which stays the configured device_instance.</param>
internal sealed record DeviceSetup(Role Role, int Instance, string CustomName, int Position)
{
    public static DeviceSetup FromConfig(Settings settings) =>
        new(settings.DeviceType, settings.DeviceInstance, DefaultName(settings.DeviceName, settings.DeviceType), 0);

    /// <summary>The Python driver's rule: the exact value "MQTT Grid" means "MQTT " + the role's name.</summary>
    public static string DefaultName(string deviceName, Role role) =>
        deviceName == "MQTT Grid" ? "MQTT " + RoleNames.Display(role) : deviceName;

    /// <summary>acload, heatpump and pvinverter meters say where they sit with /Position.</summary>
    public static bool HasPosition(Role role) => role is Role.AcLoad or Role.HeatPump or Role.PvInverter;

    /// <summary>pvinverter: 0 AC input 1, 1 AC output, 2 AC input 2; the others: 0 AC output, 1 AC input.</summary>
    public static int HighestPosition(Role role) => role == Role.PvInverter ? 2 : 1;

    /// <summary>
    /// The same meter under another role. A name the user never changed follows the role ("MQTT Grid" becomes
    /// "MQTT AC Load"); a position the new role does not have becomes 0.
    /// </summary>
    public DeviceSetup WithRole(Role role, string deviceName) => this with
    {
        Role = role,
        CustomName = CustomName == DefaultName(deviceName, Role) ? DefaultName(deviceName, role) : CustomName,
        Position = Position <= HighestPosition(role) ? Position : 0,
    };

    /// <summary>For log lines: <c>acload:45, name 'Boiler', position 1</c>.</summary>
    public string Describe() =>
        $"{DeviceSettings.Format(Role, Instance)}, name '{CustomName}'" + (HasPosition(Role) ? $", position {Position}" : "");
}
