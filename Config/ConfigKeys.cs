using MeterBridge.Core;
using MeterBridge.Logging;
using MeterBridge.Sources;
using static MeterBridge.Config.KeyResult;

namespace MeterBridge.Config;

/// <summary>Every config.ini key, in the order <c>meterbridge check</c> shows them: the Python driver's [DEFAULT] and
/// [MQTT] keys (README "Configuration"), then MeterBridge's own (read like [MQTT] keys, so they may stand in
/// either section).</summary>
internal static class ConfigKeys
{
    public const string Password = "password";

    public static readonly IReadOnlyList<ConfigKey> All =
    [
        // [DEFAULT] of dbus-mqtt-grid
        new("logging", KeyHome.Default, "LEVEL", "Lowest level written to the log: DEBUG, INFO, WARNING or ERROR.",
            (s, t) => LogLevelText.TryParse(t, out LogLevel v) ? Ok(s with { Logging = v }) : Bad("is not DEBUG, INFO, WARNING or ERROR"),
            s => LogLevelText.Of(s.Logging)),
        new("device_name", KeyHome.Default, "NAME", "Name shown on the GX (/CustomName); \"MQTT Grid\" means \"MQTT \" + the role's name.",
            (s, t) => Ok(s with { DeviceName = t }),
            s => s.DeviceName),
        new("device_type", KeyHome.Default, "TYPE", "What the meter measures: " + string.Join(", ", RoleNames.Allowed) + ".",
            (s, t) => RoleNames.TryParse(t, out Role v) ? Ok(s with { DeviceType = v }) : Bad("is not one of " + string.Join(", ", RoleNames.Allowed)),
            s => RoleNames.Of(s.DeviceType)),
        new("device_instance", KeyHome.Default, "N", "VRM device instance; also part of the D-Bus service name.",
            (s, t) => ValueText.TryInt(t, 0, int.MaxValue, out int v) ? Ok(s with { DeviceInstance = v }) : Bad("is not a whole number 0 or more"),
            s => ValueText.Show(s.DeviceInstance)),
        new("timeout", KeyHome.Default, "SECONDS", "Seconds without an accepted message before the meter is stale; 0 = never.",
            (s, t) => ValueText.TryDouble(t, out double v) && v >= 0 ? Ok(s with { Timeout = v }) : Bad("is not a number of seconds (0 or more)"),
            s => ValueText.Show(s.Timeout)),
        new("voltage", KeyHome.Default, "VOLTS", "Voltage shown (and used for currents) while none is received.",
            (s, t) => ValueText.TryDouble(t, out double v) && v > 0 ? Ok(s with { Voltage = v }) : Bad("is not a voltage above 0"),
            s => ValueText.Show(s.Voltage)),
        new("frequency", KeyHome.Default, "HZ", "Frequency shown while none is received.",
            (s, t) => ValueText.TryDouble(t, out double v) && v > 0 ? Ok(s with { Frequency = v }) : Bad("is not a frequency above 0"),
            s => ValueText.Show(s.Frequency)),
        new("power_threshold_per_phase", KeyHome.Default, "WATTS", "A phase power beyond ± this (a total beyond 3×) rejects the message.",
            (s, t) => ValueText.TryDouble(t, out double v) && v > 0 ? Ok(s with { PowerThresholdPerPhase = v }) : Bad("is not a power in watts above 0"),
            s => ValueText.Show(s.PowerThresholdPerPhase)),

        // [MQTT] of dbus-mqtt-grid
        new("broker_address", KeyHome.Mqtt, "HOST", "IP address or host name of the MQTT broker.",
            (s, t) => t.Length > 0 && !t.Any(char.IsWhiteSpace) ? Ok(s with { BrokerAddress = t }) : Bad("is not a host name or IP address"),
            s => s.BrokerAddress),
        new("broker_port", KeyHome.Mqtt, "PORT", "TCP port of the broker (usually 1883, or 8883 with TLS).",
            (s, t) => ValueText.TryInt(t, 1, 65535, out int v) ? Ok(s with { BrokerPort = v }) : Bad("is not a port number 1 to 65535"),
            s => ValueText.Show(s.BrokerPort)),
        new("tls_enabled", KeyHome.Mqtt, "0|1", "Connect to the broker with TLS.",
            (s, t) => ValueText.TryBool(t, out bool v) ? Ok(s with { TlsEnabled = v }) : Bad(NotBoolean),
            s => ValueText.Show(s.TlsEnabled)),
        new("tls_path_to_ca", KeyHome.Mqtt, "FILE", "CA certificate (PEM) to trust for the broker; default: the system's CAs.",
            (s, t) => Ok(s with { TlsPathToCa = NullIfEmpty(t) }),
            s => s.TlsPathToCa ?? ""),
        new("tls_insecure", KeyHome.Mqtt, "0|1", "1: accept a broker certificate whose host name does not match (its chain is still checked); 0 (default): check both.",
            (s, t) => ValueText.TryBool(t, out bool v) ? Ok(s with { TlsInsecure = v }) : Bad(NotBoolean),
            s => ValueText.Show(s.TlsInsecure)),
        new("username", KeyHome.Mqtt, "USER", "User name for the broker; empty = anonymous.",
            (s, t) => Ok(s with { Username = NullIfEmpty(t) }),
            s => s.Username ?? ""),
        new(Password, KeyHome.Mqtt, "PASSWORD", $"Password for the broker (see also --password-file and {SettingsLoader.PasswordVariable}).",
            (s, t) => Ok(s with { Password = NullIfEmpty(t) }),
            s => s.Password is null ? "" : PasswordText.Mask),
        new("topic", KeyHome.Mqtt, "TOPIC", "Topic (filter) the JSON readings are published on.",
            (s, t) => TopicFilter.Problem(t) is { } problem ? Bad(problem) : Ok(s with { Topic = t }),
            s => s.Topic),

        // MeterBridge's own
        new("timeout_action", KeyHome.Mqtt, "ACTION", "What happens when the meter is stale: remove, zero, invalidate or exit.",
            (s, t) => TimeoutActionText.TryParse(t, out TimeoutAction v) ? Ok(s with { TimeoutAction = v }) : Bad("is not remove, zero, invalidate or exit"),
            s => TimeoutActionText.Of(s.TimeoutAction)),
        new("tls_client_cert", KeyHome.Mqtt, "FILE", "Client certificate (PEM) for brokers that require one; needs tls_client_key.",
            (s, t) => Ok(s with { TlsClientCert = NullIfEmpty(t) }),
            s => s.TlsClientCert ?? ""),
        new("tls_client_key", KeyHome.Mqtt, "FILE", "Private key (PEM) of the client certificate.",
            (s, t) => Ok(s with { TlsClientKey = NullIfEmpty(t) }),
            s => s.TlsClientKey ?? ""),
        new("mqtt_version", KeyHome.Mqtt, "VERSION", "MQTT protocol version: 3.1.1 or 5.",
            (s, t) => t.Trim() is "3.1.1" or "5" ? Ok(s with { MqttVersion = t.Trim() }) : Bad("is not 3.1.1 or 5"),
            s => s.MqttVersion),
        new("qos", KeyHome.Mqtt, "0|1", "MQTT quality of service of the subscription.",
            (s, t) => ValueText.TryInt(t, 0, 1, out int v) ? Ok(s with { Qos = v }) : Bad("is not a QoS of 0 or 1"),
            s => ValueText.Show(s.Qos)),
        new("keepalive", KeyHome.Mqtt, "SECONDS", "MQTT keep-alive interval in seconds; 0 = off.",
            (s, t) => ValueText.TryInt(t, 0, 65535, out int v) ? Ok(s with { Keepalive = v }) : Bad("is not a whole number of seconds 0 to 65535"),
            s => ValueText.Show(s.Keepalive)),
        new("dbus_address", KeyHome.Mqtt, "ADDRESS", "D-Bus address to publish on (unix:path=...); empty = the system bus.",
            (s, t) => t.Length == 0 || t.Contains(':') ? Ok(s with { DbusAddress = NullIfEmpty(t) }) : Bad("is not a D-Bus address like unix:path=/run/dbus/system_bus_socket"),
            s => s.DbusAddress ?? ""),
        new("properties_changed", KeyHome.Mqtt, "0|1", "Also send a PropertiesChanged signal per path besides ItemsChanged (some readers then count an update twice).",
            (s, t) => ValueText.TryBool(t, out bool v) ? Ok(s with { PropertiesChanged = v }) : Bad(NotBoolean),
            s => ValueText.Show(s.PropertiesChanged)),
        new("max_payload_size", KeyHome.Mqtt, "BYTES", "Messages larger than this are rejected unread.",
            (s, t) => ValueText.TryInt(t, 1, MaxPayloadSizeLimit, out int v) ? Ok(s with { MaxPayloadSize = v }) : Bad($"is not a number of bytes 1 to {MaxPayloadSizeLimit} (the most the bridge's 32 MiB heap holds)"),
            s => ValueText.Show(s.MaxPayloadSize)),
        new("update_interval", KeyHome.Mqtt, "MS", "At most one D-Bus update per this many milliseconds; messages in between are merged and go out together at its end (0 = one per message).",
            (s, t) => ValueText.TryInt(t, 0, MaxUpdateInterval, out int v) ? Ok(s with { UpdateInterval = v }) : Bad($"is not a number of milliseconds 0 to {MaxUpdateInterval}"),
            s => ValueText.Show(s.UpdateInterval)),
        new("settings_wait", KeyHome.Mqtt, "SECONDS|auto", "Seconds a meter waits at start for the GX's settings service before it registers from the config; auto (default): 60 on Venus OS, 0 elsewhere.",
            (s, t) => t.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? Ok(s with { SettingsWait = null })
                : ValueText.TryDouble(t, out double v) && v is >= 0 and <= MaxSettingsWait ? Ok(s with { SettingsWait = v }) : Bad($"is not auto or a number of seconds 0 to {MaxSettingsWait}"),
            s => s.SettingsWait is { } v ? ValueText.Show(v) : "auto"),
        new("status_topic", KeyHome.Mqtt, "TOPIC", "Where the bridge publishes its health on the broker: TOPIC/status (online/offline, retained, the will) and TOPIC/state (JSON, retained); default meterbridge/<device_instance>; empty = off.",
            (s, t) => t.IndexOfAny(['+', '#', '\0']) >= 0 || t.EndsWith('/') ? Bad("is not a topic name (no + or #, no / at the end)") : Ok(s with { StatusTopic = t }),
            s => s.StatusTopic),
        new("ha_discovery", KeyHome.Mqtt, "0|1", "1: Home Assistant MQTT discovery for the status (retained configs under homeassistant/).",
            (s, t) => ValueText.TryBool(t, out bool v) ? Ok(s with { HaDiscovery = v }) : Bad(NotBoolean),
            s => ValueText.Show(s.HaDiscovery)),
        new("energy_from_power", KeyHome.Mqtt, "auto|0|1", "Count /Ac/Energy/Forward and /Reverse from power: auto (default) where the source sends no counter, 1 everywhere (ours shown instead of the source's), 0 never. Estimates, see the README.",
            (s, t) => t.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? Ok(s with { EnergyFromPower = EnergyFromPower.Auto })
                : ValueText.TryBool(t, out bool v) ? Ok(s with { EnergyFromPower = v ? EnergyFromPower.On : EnergyFromPower.Off }) : Bad("is not auto, 0 or 1"),
            s => s.EnergyFromPower switch { EnergyFromPower.Auto => "auto", EnergyFromPower.On => "1", _ => "0" }),
        new("energy_file", KeyHome.Mqtt, "FILE", "Where the counters from power are kept across restarts (relative: to the config file's folder); default energy.json beside the config file; empty = not kept.",
            (s, t) => Ok(s with { EnergyFile = t.Trim() }),
            s => s.EnergyFile ?? ""),

        // Sources (docs/sources.md): which device's messages, and which of its channels
        new("format", KeyHome.Mqtt, "FORMAT", "What the messages look like: dbus-mqtt-grid (the JSON of the Python driver), a preset (" + string.Join(", ", Presets.All.Keys) + ") or custom ([MAPPING] only).",
            (s, t) => Presets.Formats.Contains(t.Trim()) ? Ok(s with { Format = t.Trim() }) : Bad("is not a format: " + string.Join(", ", Presets.Formats)),
            s => s.Format),
        new("channel", KeyHome.Mqtt, "N", "Which channel of a device with several ({channel} in the rules); tasmota-energy: 0 reads arrays as phases, N ≥ 1 channel N alone.",
            (s, t) => ValueText.TryInt(t, 0, 99, out int v) ? Ok(s with { Channel = v }) : Bad("is not a channel number 0 to 99"),
            s => ValueText.Show(s.Channel)),
    ];

    private const string NotBoolean = "is not a yes/no value (1/true/yes/on or 0/false/no/off)";
    // Measured with the AOT binary (32 MiB GC heap hard limit, MeterBridge.csproj): with QoS 1 MQTTnet holds a message twice
    // (its packet body and the message), and our QoS 0 reader may hold two while a large one follows another in its buffer,
    // so 15 000 000 bytes arrived and 16 000 000 ended in OutOfMemory on every reconnect. 12 MiB leaves the rest of the
    // bridge (D-Bus, TLS, a burst of small messages) its few MB.
    public const int MaxPayloadSizeLimit = 12 * 1024 * 1024;
    private const int MaxUpdateInterval = 60_000;
    private const int MaxSettingsWait = 3600;

    public static ConfigKey? Find(string name)
    {
        foreach (ConfigKey key in All)
            if (key.Name == name)
                return key;
        return null;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
