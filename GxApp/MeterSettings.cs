using MeterBridge.Items;

namespace MeterBridge.GxApp;

/// <summary>
/// The settings of a meter of the app, as docs/gx-app.md lists them: a table, so AddSettings, the import from config.ini,
/// the validation and app.ini are all read from one place. Role, VRM instance, name and position are not here: they stay
/// in <c>/Settings/Devices/mqtt_N/</c>, where the meter itself follows them.
/// </summary>
internal static class MeterSettings
{
    public const string Root = "/Settings/MeterBridge";
    /// <summary>The meters' instances, ascending, comma-separated.</summary>
    public const string MetersPath = Root + "/Meters";
    /// <summary>The instances whose config.ini was imported: never again.</summary>
    public const string ImportedPath = Root + "/Imported";
    public const string Mapping = "Mapping";

    public static readonly MeterSetting[] All =
    [
        new("BrokerAddress", BusValue.Of("127.0.0.1"), null, null, false, "broker_address"),
        new("BrokerPort", BusValue.Of(1883), 1, 65535, false, "broker_port"),
        new("TlsEnabled", BusValue.Of(0), 0, 1, false, "tls_enabled"),
        new("TlsInsecure", BusValue.Of(0), 0, 1, false, "tls_insecure"),
        new("Username", BusValue.Of(""), null, null, false, "username"),
        new("Password", BusValue.Of(""), null, null, true, "password"),
        new("Format", BusValue.Of("dbus-mqtt-grid"), null, null, false, "format"),
        new("Topic", BusValue.Of("enphase/envoy-s/meters"), null, null, false, "topic"),
        new("Channel", BusValue.Of(0), 0, 99, false, "channel"),
        new(Mapping, BusValue.Of(""), null, null, false, null),
        new("Timeout", BusValue.Of(-1.0), -1, 86400, false, "timeout", unset: -1),
        new("PowerThreshold", BusValue.Of(23000.0), 1, 1000000, false, "power_threshold_per_phase"),
        new("EnergyFromPower", BusValue.Of("auto"), null, null, false, "energy_from_power"),
    ];

    /// <summary><c>/Settings/MeterBridge/N</c>.</summary>
    public static string Prefix(int meter) => $"{Root}/{meter}";

    public static string PathOf(int meter, MeterSetting setting) => $"{Root}/{meter}/{setting.Name}";

    public static MeterSetting? ByConfigKey(string key) => All.FirstOrDefault(s => s.ConfigKey == key);

    /// <summary>"100,101" → 100, 101 (ascending, distinct); what is no instance is skipped.</summary>
    public static SortedSet<int> ParseList(string text)
    {
        var meters = new SortedSet<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n)) meters.Add(n);
        return meters;
    }

    public static string ListText(SortedSet<int> meters) => string.Join(",", meters);
}
