using MeterBridge.Items;

namespace MeterBridge.GxApp;

/// <summary>
/// One setting of a meter in localsettings (<c>/Settings/MeterBridge/N/Name</c>) and the config key it becomes in the
/// meter's app.ini. <paramref name="Default"/> carries the type (<c>s</c>, <c>i</c>, <c>d</c>).
/// </summary>
/// <param name="Min">Lowest value of a number (sent to AddSettings, and checked here: a stand-in or an old localsettings may not).</param>
/// <param name="Silent">localsettings keeps its value out of its log (the password).</param>
/// <param name="ConfigKey">The config.ini key; null for the Mapping, which is the [MAPPING] section.</param>
/// <param name="Unset">A number meaning "not set": no line in app.ini (Timeout -1: the format's own default).</param>
internal sealed record MeterSetting(string Name, BusValue Default, double? Min, double? Max, bool Silent, string? ConfigKey, double? Unset = null)
{
    public BusType Type => Default.Type;
}
