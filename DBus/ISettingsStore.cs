using MeterBridge.Items;

namespace MeterBridge.DBus;

/// <summary>What the meter needs of the GX's settings service: <see cref="LocalSettings"/> on the bus, a fake in tests.</summary>
internal interface ISettingsStore
{
    /// <summary>AddSettings: creates what is missing and returns every value the service holds.</summary>
    Task<SettingValue[]> AddAsync(IReadOnlyList<SettingDefault> settings);

    /// <summary>SetValue on one setting; 0 when the service took it.</summary>
    Task<int> SetAsync(string path, BusValue value);
}

/// <summary>One entry for AddSettings: its path, default (the type follows it) and optional range.</summary>
internal sealed record SettingDefault(string Path, BusValue Default, int? Min = null, int? Max = null);

/// <summary>One AddSettings result: the value the settings service holds (its stored one, or the default if new). Error 0 is ok.</summary>
internal sealed record SettingValue(string Path, int Error, BusValue Value);
