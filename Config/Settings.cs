using MeterBridge.Core;
using MeterBridge.Logging;
using MeterBridge.Sources;

namespace MeterBridge.Config;

/// <summary>
/// The effective settings after flags, config file and defaults are merged (in that order of precedence).
/// Every key of the Python driver's config.ini has a property here; the rest are MeterBridge's own.
/// </summary>
internal sealed record Settings
{
    /// <summary>The meter's defaults are said once, in <see cref="MeterLimits"/>.</summary>
    private static readonly MeterLimits MeterDefaults = new();

    // [DEFAULT] of dbus-mqtt-grid
    public LogLevel Logging { get; init; } = LogLevel.Info;
    public string DeviceName { get; init; } = "MQTT Grid";
    public Role DeviceType { get; init; } = Role.Grid;
    public int DeviceInstance { get; init; } = 100;
    /// <summary>Seconds without an accepted message before the meter is stale; 0 = never.</summary>
    public double Timeout { get; init; } = 60;
    public double Voltage { get; init; } = MeterDefaults.Voltage;
    public double Frequency { get; init; } = MeterDefaults.Frequency;
    public double PowerThresholdPerPhase { get; init; } = MeterDefaults.PowerThresholdPerPhase;

    // [MQTT] of dbus-mqtt-grid
    public string BrokerAddress { get; init; } = "127.0.0.1";
    public int BrokerPort { get; init; } = 1883;
    public bool TlsEnabled { get; init; }
    public string? TlsPathToCa { get; init; }
    public bool TlsInsecure { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string Topic { get; init; } = "enphase/envoy-s/meters";

    // MeterBridge's own
    public TimeoutAction TimeoutAction { get; init; } = TimeoutAction.Remove;
    public string? TlsClientCert { get; init; }
    public string? TlsClientKey { get; init; }
    /// <summary>"3.1.1" or "5".</summary>
    public string MqttVersion { get; init; } = "3.1.1";
    public int Qos { get; init; }
    public int Keepalive { get; init; } = 60;
    /// <summary>null: the system bus.</summary>
    public string? DbusAddress { get; init; }
    public bool PropertiesChanged { get; init; }
    public int MaxPayloadSize { get; init; } = MeterDefaults.MaxPayloadSize;
    /// <summary>Milliseconds between two D-Bus updates at the most: 100, as Victron's own meter driver (dbus-modbus-client).</summary>
    public int UpdateInterval { get; init; } = 100;
    /// <summary>Seconds to wait at start for the GX's settings service; null: auto (60 on Venus OS, 0 elsewhere).</summary>
    public double? SettingsWait { get; init; }
    /// <summary>
    /// Where the bridge tells the broker it reads from whether it is alive and its meter fresh (<c>…/status</c>,
    /// <c>…/state</c>); empty: nowhere. Default <c>meterbridge/&lt;device_instance&gt;</c>.
    /// </summary>
    public string StatusTopic { get => _statusTopic ?? $"meterbridge/{DeviceInstance}"; init => _statusTopic = value; }
    private readonly string? _statusTopic;
    /// <summary>Home Assistant MQTT discovery configs for the status (under homeassistant/…/config).</summary>
    public bool HaDiscovery { get; init; }
    /// <summary>Counts energy from power where the source sends no counter (docs/payloads.md "Energy counted from power").</summary>
    public EnergyFromPower EnergyFromPower { get; init; } = EnergyFromPower.Auto;
    /// <summary>
    /// Where the counters from power are kept across restarts. After loading: a path, or empty when they are not kept.
    /// Unset, it is <c>energy.json</c> beside the config file (<see cref="SettingsLoader"/>), and
    /// stays null when there is no config file.
    /// </summary>
    public string? EnergyFile { get; init; }

    // Sources (docs/sources.md)
    /// <summary>dbus-mqtt-grid (the seed format), a preset name or custom.</summary>
    public string Format { get; init; } = Presets.SeedFormat;
    public int Channel { get; init; }
    /// <summary>The compiled rules of a preset or custom format; null for the seed format.</summary>
    public MappedSource? Source { get; init; }

    /// <summary>The topic filters to subscribe to: the source's distinct filters, or <see cref="Topic"/>.</summary>
    public IReadOnlyList<string> Subscriptions => Source?.TopicFilters ?? [Topic];

    public MeterLimits Limits => new(Voltage, Frequency, PowerThresholdPerPhase, MaxPayloadSize);

    /// <summary>The Python driver's service name, so existing setups keep theirs.</summary>
    public string ServiceName => ServiceNameFor(DeviceType);

    /// <summary>The service name under another role: the configured device_instance stays its unique id.</summary>
    public string ServiceNameFor(Role role) => $"com.victronenergy.{RoleNames.Of(role)}.mqtt_{RoleNames.Of(role)}_{DeviceInstance}";
}
