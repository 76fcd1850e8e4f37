using MeterBridge.Items;

namespace MeterBridge.DBus;

/// <summary>One AddSettings result: the value the settings service holds (its stored one, or the default if new). Error 0 is ok.</summary>
public sealed record SettingValue(string Path, int Error, BusValue Value);
