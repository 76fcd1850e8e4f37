using MeterBridge.Items;

namespace MeterBridge.GxApp;

/// <summary>
/// One setting of a meter in localsettings (<c>/Settings/MeterBridge/N/Name</c>) and the config key it becomes in the
/// meter's app.ini. <see cref="Default"/> carries the type (<c>s</c>, <c>i</c>, <c>d</c>).
/// </summary>
/// <remarks>A class, not a record: a table row, never compared or printed.</remarks>
/// <param name="min">Lowest value of a number (sent to AddSettings, and checked here: a stand-in or an old localsettings may not).</param>
/// <param name="silent">localsettings keeps its value out of its log (the password).</param>
/// <param name="configKey">The config.ini key; null for the Mapping, which is the [MAPPING] section.</param>
/// <param name="unset">A number meaning "not set": no line in app.ini (Timeout -1: the format's own default).</param>
internal sealed class MeterSetting(string name, BusValue @default, double? min, double? max, bool silent, string? configKey, double? unset = null)
{
    public string Name { get; } = name;
    public BusValue Default { get; } = @default;
    public double? Min { get; } = min;
    public double? Max { get; } = max;
    public bool Silent { get; } = silent;
    public string? ConfigKey { get; } = configKey;
    public double? Unset { get; } = unset;
    public BusType Type => Default.Type;
}
