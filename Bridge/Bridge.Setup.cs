using MeterBridge.Config;
using MeterBridge.DBus;
using MeterBridge.Items;

namespace MeterBridge.Bridge;

/// <summary>
/// Role, VRM instance, name and position: written on our service (the GUI's device page) or in the settings service
/// (the GUI's device list, another tool). Either way the change is noted under the gate and the publisher thread
/// carries it out: new values in the table and one signal, or for a new role a new registration; then the settings
/// service gets what it does not hold yet.
/// </summary>
public sealed partial class Bridge
{
    /// <summary>A settings service that does not answer AddSettings in this time is treated as absent.</summary>
    private static readonly TimeSpan SettingsTimeout = TimeSpan.FromSeconds(10);

    private readonly LocalSettings? _localSettings;
    private readonly DeviceSettings _deviceSettings;

    // Under the gate. _setup is what the service shows, _pendingSetup what it should show next, _stored what the
    // settings service holds by path (null while there is no settings service).
    private DeviceSetup _setup;
    private DeviceSetup? _pendingSetup;
    private Dictionary<string, BusValue>? _stored;
    private bool _settingsAppeared;

    /// <summary>
    /// SetValue on a writable row, on the D-Bus thread with the gate held. Name and position are in the table at once,
    /// so a GetValue right after sees them; a new role is only noted: the publisher thread re-registers.
    /// </summary>
    public int Write(ItemTable table, int row, in BusValue requested)
    {
        DeviceSetup wanted = _pendingSetup ?? _setup;
        switch (row)
        {
            case MeterPaths.Role:
                if (requested.Type != BusType.String) return SetValueResult.NotWritable;
                if (!RoleNames.TryParse(requested.AsString, out var role) || requested.AsString != RoleNames.Of(role)) return SetValueResult.Rejected;
                Ask(role == wanted.Role ? wanted : wanted.WithRole(role, _settings.DeviceName));
                return SetValueResult.Accepted;
            case MeterPaths.Position:
                if (requested.Type != BusType.Int32) return SetValueResult.NotWritable;
                if (requested.AsInt32 < 0 || requested.AsInt32 > DeviceSetup.HighestPosition(wanted.Role)) return SetValueResult.Rejected;
                table.Set(row, requested);
                Ask(wanted with { Position = requested.AsInt32 });
                return SetValueResult.Accepted;
            case MeterPaths.CustomName:
                int result = ItemWriters.CustomName(table, row, requested);
                if (result == SetValueResult.Accepted) Ask(wanted with { CustomName = requested.AsString });
                return result;
            default:
                return ItemWriters.Default(table, row, requested);
        }
    }

    /// <summary>The settings service appeared (true) or went (false). On its connection's receive loop.</summary>
    public void OnSettingsPresence(bool present)
    {
        lock (_service.Gate)
        {
            if (present) _settingsAppeared = true;
            else _stored = null;
        }
        if (present) _wake.Set();
        else _log.Warning($"{LocalSettings.ServiceName} left D-Bus: changes are kept in memory until it is back");
    }

    /// <summary>A setting of ours has a new value (the GUI changed it, or our own save echoes). On the settings connection's receive loop.</summary>
    public void OnSettingChanged(string path, BusValue value)
    {
        string? problem;
        lock (_service.Gate)
        {
            if (_stored is null) return; // not loaded yet: the load reads every value anyway
            _stored[path] = value;
            var wanted = _deviceSettings.Apply(_pendingSetup ?? _setup, _settings.DeviceName, path, value, out problem);
            if (wanted is not null) Ask(wanted);
        }
        if (problem is not null) _log.Warning($"ignored a setting: {problem}");
    }

    /// <summary>Under the gate: <paramref name="wanted"/> becomes the next setup, and the publisher thread is woken.</summary>
    private void Ask(DeviceSetup wanted)
    {
        if (wanted == (_pendingSetup ?? _setup)) return;
        _pendingSetup = wanted;
        _wake.Set();
    }

    /// <summary>
    /// Publisher thread, when the settings service is (newly) there: AddSettings with the current setup as defaults,
    /// then the values it holds win: a role, instance or name chosen on the GX survives our restart.
    /// </summary>
    private void LoadSettingsIfAsked()
    {
        DeviceSetup basis;
        lock (_service.Gate)
        {
            if (!_settingsAppeared || _localSettings is null) return;
            _settingsAppeared = false;
            basis = _pendingSetup ?? _setup;
        }
        SettingValue[] values;
        try
        {
            values = _localSettings.AddAsync(_deviceSettings.Defaults(basis)).WaitAsync(SettingsTimeout).GetAwaiter().GetResult();
        }
        catch (Exception error)
        {
            _log.Warning($"cannot add {_deviceSettings.Prefix} to {LocalSettings.ServiceName} ({error.Message}): role, instance and name stay in memory");
            return;
        }

        var stored = new Dictionary<string, BusValue>();
        DeviceSetup wanted = basis;
        foreach (var setting in values)
        {
            if (setting.Error != 0)
            {
                _log.Warning($"{LocalSettings.ServiceName} refused {setting.Path} (error {setting.Error})");
                continue;
            }
            stored[setting.Path] = setting.Value;
            wanted = _deviceSettings.Apply(wanted, _settings.DeviceName, setting.Path, setting.Value, out string? problem) ?? wanted;
            if (problem is not null) _log.Warning($"ignored a setting: {problem}");
        }
        lock (_service.Gate)
        {
            _stored = stored;
            Ask(wanted);
        }
        _log.Info($"settings in {LocalSettings.ServiceName} under {_deviceSettings.Prefix}: {Describe(wanted)}");
    }

    /// <summary>Publisher thread: shows the wanted setup (a new role means a new registration), then saves it.</summary>
    private void ApplySetupIfAsked()
    {
        DeviceSetup wanted, shown;
        lock (_service.Gate)
        {
            if (_pendingSetup is null) return;
            wanted = _pendingSetup;
            shown = _setup;
            _pendingSetup = null;
        }
        if (wanted.Role != shown.Role) ChangeRole(wanted);
        else
        {
            lock (_service.Gate)
            {
                _setup = wanted;
                Identity.Fill(_table, _settings, wanted);
                _dirty = true;
            }
            if (_registered) Publish();
            if (wanted.Instance != shown.Instance || wanted.CustomName != shown.CustomName)
                _log.Info($"the meter is now {Describe(wanted)}");
        }
        Save(wanted);
    }

    /// <summary>
    /// The service leaves the bus and registers anew as com.victronenergy.&lt;role&gt;.mqtt_&lt;role&gt;_&lt;device_instance&gt;
    /// (a service is never renamed while on the bus).
    /// </summary>
    private void ChangeRole(DeviceSetup wanted)
    {
        bool wasRegistered = _registered;
        if (wasRegistered) _service.UnregisterAsync().GetAwaiter().GetResult();
        _registered = false;
        lock (_service.Gate) _setup = wanted;
        _service.ServiceName = _settings.ServiceNameFor(wanted.Role);
        _log.Info($"role changed to {RoleNames.Of(wanted.Role)}: the meter is now {_service.ServiceName}");
        if (wasRegistered) Register();
    }

    /// <summary>Writes to the settings service what it does not hold yet; it answers asynchronously, failures are logged.</summary>
    private void Save(DeviceSetup setup)
    {
        if (_localSettings is null) return;
        foreach (var (path, value) in _deviceSettings.Values(setup))
        {
            lock (_service.Gate)
            {
                if (_stored is null) return;
                if (_stored.TryGetValue(path, out var held) && held == value) continue;
                _stored[path] = value;
            }
            _ = SaveAsync(_localSettings, path, value);
        }
    }

    private async Task SaveAsync(LocalSettings localSettings, string path, BusValue value)
    {
        try
        {
            int result = await localSettings.SetAsync(path, value).ConfigureAwait(false);
            if (result != 0) _log.Warning($"{LocalSettings.ServiceName} refused {path} (SetValue answered {result})");
        }
        catch (Exception error)
        {
            _log.Warning($"cannot save {path} to {LocalSettings.ServiceName}: {error.Message}");
        }
    }

    private static string Describe(DeviceSetup setup) =>
        $"{DeviceSettings.Format(setup.Role, setup.Instance)}, name '{setup.CustomName}'" +
        (DeviceSetup.HasPosition(setup.Role) ? $", position {setup.Position}" : "");
}
