namespace MeterBridge.Sources;

/// <summary>
/// The presets: for each popular device, its rules written in the mapping language itself, per quantity key and in
/// order (several lines: several sources, the first wins). Data, not code per device: <c>check</c> prints them and a
/// <c>[MAPPING]</c> key replaces one. Energies a device counts in Wh get <c>* 0.001</c>.
/// </summary>
internal static class Presets
{
    public const string SeedFormat = "dbus-mqtt-grid";
    public const string Custom = "custom";
    public const string TasmotaEnergy = "tasmota-energy";

    private const string Wh = " * 0.001";
    private static readonly string[] Phases = ["l1", "l2", "l3"];

    public static readonly IReadOnlyDictionary<string, (string Key, string Rules)[]> All = new Dictionary<string, (string, string)[]>
    {
        // Shelly Gen2+ Pro 3EM, 3EM Gen3, 3EM-63 (triphase): em:0 and emdata:0, as status topics and in RPC notifications.
        ["shelly-gen2-em"] =
        [
            ("power", Shelly2("em:0", "total_act_power")),
            ("current", Shelly2("em:0", "total_current")),
            .. PerPhase("abc", (p, l) => [
                ($"power_{l}", Shelly2("em:0", $"{p}_act_power")),
                ($"voltage_{l}", Shelly2("em:0", $"{p}_voltage")),
                ($"current_{l}", Shelly2("em:0", $"{p}_current")),
                ($"power_factor_{l}", Shelly2("em:0", $"{p}_pf")),
                ($"frequency_{l}", Shelly2("em:0", $"{p}_freq")),
            ]),
            ("energy_forward", Shelly2("emdata:0", "total_act", Wh)),
            ("energy_reverse", Shelly2("emdata:0", "total_act_ret", Wh)),
            .. PerPhase("abc", (p, l) => [
                ($"energy_forward_{l}", Shelly2("emdata:0", $"{p}_total_act_energy", Wh)),
                ($"energy_reverse_{l}", Shelly2("emdata:0", $"{p}_total_act_ret_energy", Wh)),
            ]),
        ],
        // Shelly Pro EM-50, EM Gen3/Gen4, 3EM in monophase profile: one channel, a one-phase meter.
        ["shelly-gen2-em1"] =
        [
            ("power", Shelly2("em1:{channel}", "act_power")),
            ("voltage", Shelly2("em1:{channel}", "voltage")),
            ("current", Shelly2("em1:{channel}", "current")),
            ("power_factor", Shelly2("em1:{channel}", "pf")),
            ("frequency", Shelly2("em1:{channel}", "freq")),
            ("energy_forward", Shelly2("em1data:{channel}", "total_act_energy", Wh)),
            ("energy_reverse", Shelly2("em1data:{channel}", "total_act_ret_energy", Wh)),
        ],
        // Shelly Plus/Pro/Mini PM and 1PM, Plug S, switches with metering: switch:N or pm1:N, as Victron's Shelly driver reads them.
        ["shelly-gen2-pm"] =
        [
            ("power", SwitchOrPm("apower")),
            ("voltage", SwitchOrPm("voltage")),
            ("current", SwitchOrPm("current")),
            ("power_factor", SwitchOrPm("pf")),
            ("frequency", SwitchOrPm("freq")),
            ("energy_forward", SwitchOrPm("aenergy/total", Wh)),
            ("energy_reverse", SwitchOrPm("ret_aenergy/total", Wh)),
        ],
        // Shelly 3EM (Gen1): a bare number per topic, emeter/0..2 are L1..L3; no total topic.
        ["shelly-gen1-3em"] =
        [
            .. PerPhase("012", (i, l) => [
                ($"power_{l}", $"{{topic}}/emeter/{i}/power"),
                ($"voltage_{l}", $"{{topic}}/emeter/{i}/voltage"),
                ($"current_{l}", $"{{topic}}/emeter/{i}/current"),
                ($"power_factor_{l}", $"{{topic}}/emeter/{i}/pf"),
                ($"energy_forward_{l}", $"{{topic}}/emeter/{i}/total{Wh}"),
                ($"energy_reverse_{l}", $"{{topic}}/emeter/{i}/total_returned{Wh}"),
            ]),
        ],
        // Shelly EM (Gen1): the configured channel is the total; its current is P / V.
        ["shelly-gen1-em"] =
        [
            ("power", "{topic}/emeter/{channel}/power"),
            ("voltage", "{topic}/emeter/{channel}/voltage"),
            ("power_factor", "{topic}/emeter/{channel}/pf"),
            ("energy_forward", "{topic}/emeter/{channel}/total" + Wh),
            ("energy_reverse", "{topic}/emeter/{channel}/total_returned" + Wh),
        ],
        // Tasmota energy monitoring on its SENSOR topic: scalars on one-phase devices, arrays on multi-phase ones. With
        // channel N >= 1 a device with several channels is one of them instead: TasmotaChannel.
        [TasmotaEnergy] =
        [
            .. Tasmota("power", "Power"),
            .. Tasmota("voltage", "Voltage"),
            .. Tasmota("current", "Current"),
            .. Tasmota("power_factor", "Factor"),
            .. Tasmota("frequency", "Frequency"),
            .. Tasmota("energy_forward", "Total"),
            .. Tasmota("energy_reverse", "ExportActive"),
        ],
        // Zigbee2MQTT energy plugs and Tuya three-phase meters; power_factor is left out (a fraction on some devices, a percentage on others).
        ["zigbee2mqtt"] =
        [
            ("power", "{topic} /power"),
            ("voltage", "{topic} /voltage"),
            ("current", "{topic} /current"),
            ("frequency", "{topic} /ac_frequency"),
            ("energy_forward", "{topic} /energy"),
            ("energy_reverse", "{topic} /produced_energy"),
            .. PerPhase("abc", (p, l) => [
                ($"power_{l}", $"{{topic}} /power_{p}"),
                ($"voltage_{l}", $"{{topic}} /voltage_{p}"),
                ($"current_{l}", $"{{topic}} /current_{p}"),
            ]),
        ],
    };

    /// <summary>
    /// The rows of <paramref name="format"/> for the configured channel; null when it is not a preset. Tasmota's arrays
    /// are phases on a three-phase meter (PZEM-004T ×3, ADE7880) and channels on a device with several relays (Sonoff
    /// Dual R3, Shelly 2.5): the JSON cannot tell them apart, so channel 0 (the default) reads phases as always, and
    /// channel N >= 1 reads element N-1, counted from 1 as Tasmota counts its relays (POWER1, POWER2).
    /// </summary>
    public static (string Key, string Rules)[]? Rows(string format, int channel) =>
        format == TasmotaEnergy && channel >= 1 ? TasmotaChannel(channel - 1) : All.GetValueOrDefault(format);

    /// <summary>Every value <c>format</c> accepts.</summary>
    public static IEnumerable<string> Formats => [SeedFormat, .. All.Keys, Custom];

    public static bool IsShelly(string format) => format.StartsWith("shelly-", StringComparison.Ordinal);

    /// <summary>A Shelly Gen2+ component's field: its status topic, and the same object in an RPC notification.</summary>
    private static string Shelly2(string component, string field, string factor = "") =>
        $"{{topic}}/status/{component} /{field}{factor}\n{{topic}}/events/rpc /params/{component}/{field}{factor}";

    private static string SwitchOrPm(string field, string factor = "") =>
        Shelly2("switch:{channel}", field, factor) + "\n" + Shelly2("pm1:{channel}", field, factor);

    /// <summary>A Tasmota ENERGY field: the total when a number, elements 0..2 the phases when an array.</summary>
    private static (string, string)[] Tasmota(string key, string field) =>
    [
        (key, $"{{topic}} /ENERGY/{field}"),
        .. PerPhase("012", (i, l) => [($"{key}_{l}", $"{{topic}} /ENERGY/{field}/{i}")]),
    ];

    /// <summary>
    /// One channel of a Tasmota device with several as a one-phase meter: element <paramref name="element"/> of each
    /// array. Voltage and frequency are one number when the channels share them (Tasmota's default); Total is one sum of
    /// all channels unless <c>SetOption129 1</c> splits it, and a sum is not this channel's: only the element is read.
    /// </summary>
    private static (string, string)[] TasmotaChannel(int element) =>
    [
        ("power", $"{{topic}} /ENERGY/Power/{element}"),
        ("voltage", $"{{topic}} /ENERGY/Voltage/{element}\n{{topic}} /ENERGY/Voltage"),
        ("current", $"{{topic}} /ENERGY/Current/{element}"),
        ("power_factor", $"{{topic}} /ENERGY/Factor/{element}"),
        ("frequency", $"{{topic}} /ENERGY/Frequency/{element}\n{{topic}} /ENERGY/Frequency"),
        ("energy_forward", $"{{topic}} /ENERGY/Total/{element}"),
        ("energy_reverse", $"{{topic}} /ENERGY/ExportActive/{element}"),
    ];

    /// <summary>The rows of each phase: the device's name for it (a, b, c or 0, 1, 2) and the key suffix l1..l3.</summary>
    private static List<(string, string)> PerPhase(string names, Func<char, string, (string, string)[]> rows)
    {
        // A loop, not Select/SelectMany over the name's chars and the rows (value types): that LINQ cost the binary 11 KB.
        var all = new List<(string, string)>();
        for (int i = 0; i < names.Length; i++) all.AddRange(rows(names[i], Phases[i]));
        return all;
    }
}
