namespace MeterBridge.DBus;

/// <summary>
/// The names on the wire, said once: interfaces, members, signatures, error names. Method calls are matched on their
/// UTF-8 bytes (no string per call), so a member that is matched has its UTF-8 form here too, right beside its text.
/// </summary>
internal static class BusItemNames
{
    public const string Interface = "com.victronenergy.BusItem";
    public static ReadOnlySpan<byte> InterfaceUtf8 => "com.victronenergy.BusItem"u8;
    public const string Introspectable = "org.freedesktop.DBus.Introspectable";

    public const string GetValue = "GetValue";
    public static ReadOnlySpan<byte> GetValueUtf8 => "GetValue"u8;
    public const string GetText = "GetText";
    public static ReadOnlySpan<byte> GetTextUtf8 => "GetText"u8;
    public const string SetValue = "SetValue";
    public static ReadOnlySpan<byte> SetValueUtf8 => "SetValue"u8;
    public const string GetItems = "GetItems";
    public static ReadOnlySpan<byte> GetItemsUtf8 => "GetItems"u8;
    public const string GetDescription = "GetDescription";
    public static ReadOnlySpan<byte> GetDescriptionUtf8 => "GetDescription"u8;
    public const string ItemsChanged = "ItemsChanged";
    public const string PropertiesChanged = "PropertiesChanged";

    public const string ItemsSignature = "a{sa{sv}}";
    public const string PropertiesSignature = "a{sv}";
    public static ReadOnlySpan<byte> VariantSignatureUtf8 => "v"u8;

    public const string Failed = "org.freedesktop.DBus.Error.Failed";
    public const string UnknownObject = "org.freedesktop.DBus.Error.UnknownObject";
    public const string UnknownMethod = "org.freedesktop.DBus.Error.UnknownMethod";
    public const string InvalidArgs = "org.freedesktop.DBus.Error.InvalidArgs";

    /// <summary>The bus daemon's own interface, whose NameOwnerChanged tells when a service comes or goes.</summary>
    public const string Daemon = "org.freedesktop.DBus";
    public const string NameOwnerChanged = "NameOwnerChanged";
}
