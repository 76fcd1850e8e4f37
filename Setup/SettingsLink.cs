namespace MeterBridge.Setup;

/// <summary>Where the meter stands with the GX's settings service (<c>com.victronenergy.settings</c>).</summary>
internal enum SettingsLink
{
    /// <summary>Not on the bus (or not yet seen): role, instance and name live in memory.</summary>
    Absent,
    /// <summary>On the bus; the publisher thread is to send AddSettings.</summary>
    Asked,
    /// <summary>AddSettings sent and not answered yet (or failed and to be sent again).</summary>
    Loading,
    /// <summary>Its values are read and in use; what the meter changes is saved to it.</summary>
    Loaded,
}
