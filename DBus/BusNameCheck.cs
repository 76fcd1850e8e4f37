using Tmds.DBus.Protocol;

namespace MeterBridge.DBus;

/// <summary>
/// Asks the bus at start whether the service name is already owned, so a second meter with the same
/// device_instance fails at once (exit code 3) instead of at its first message; and proves the bus is reachable.
/// </summary>
internal static class BusNameCheck
{
    public static Task<bool> IsTakenAsync(string? busAddress, string name) => Task.Run(async () =>
    {
        string address = busAddress ?? DBusAddress.System ?? throw new InvalidOperationException("no D-Bus system bus address");
        using var connection = new DBusConnection(address);
        await connection.ConnectAsync().ConfigureAwait(false);
        var services = await connection.ListServicesAsync().ConfigureAwait(false);
        return services.Contains(name);
    });
}
