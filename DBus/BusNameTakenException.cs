namespace MeterBridge.DBus;

/// <summary>The service name is owned by another connection: a second bridge or driver for the same meter.</summary>
internal sealed class BusNameTakenException(string name)
    : Exception($"D-Bus name {name} is already taken by another process")
{
    public string Name { get; } = name;
}
