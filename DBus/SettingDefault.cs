using MeterBridge.Items;

namespace MeterBridge.DBus;

/// <summary>One entry for the settings service's AddSettings: its path, default (the type follows it) and optional range.</summary>
public sealed record SettingDefault(string Path, BusValue Default, int? Min = null, int? Max = null);
