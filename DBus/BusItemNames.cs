namespace MeterBridge.DBus;

/// <summary>The names on the wire: interfaces, members, error names.</summary>
internal static class BusItemNames
{
    public const string Interface = "com.victronenergy.BusItem";
    public const string Introspectable = "org.freedesktop.DBus.Introspectable";
    public const string UnknownObject = "org.freedesktop.DBus.Error.UnknownObject";
    public const string UnknownMethod = "org.freedesktop.DBus.Error.UnknownMethod";
    public const string InvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";
    public const string ItemsSignature = "a{sa{sv}}";
    public const string PropertiesSignature = "a{sv}";
}
