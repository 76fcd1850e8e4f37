using System.Diagnostics;
using MeterBridge.Config;
using MeterBridge.DBus;
using MeterBridge.Items;
using MeterBridge.Setup;

namespace MeterBridge.Bridge;

/// <summary>
/// Role, VRM instance, name and position: written on our service (the GUI's device page) or in the settings service
/// (the GUI's device list, another tool). Either way the change is noted under the gate and the publisher thread
/// carries it out: new values in the table and one signal, or for a new role a new registration; then the settings
/// service gets what it does not hold yet.
/// </summary>
public sealed partial class HotLoop
{
    /// <summary>
    /// How long AddSettings may take before the log says so. The call stays pending after that (a GX busy at boot
    /// answers late, and its answer still counts); a failed call is sent again after the same time.
    /// </summary>
    private static readonly TimeSpan SettingsPatience = TimeSpan.FromSeconds(10);

    private readonly LocalSettings? _localSettings;
    private readonly DeviceSettings _deviceSettings;

    // Under the gate. _setup is what the service shows, _pendingSetup what it should show next, _stored what the
    // settings service holds by path (null until it is loaded). _linkGeneration counts appearances and departures
    // of the settings service: an answer to an AddSettings sent before the last one is dropped. _unsaved holds the
    // paths written on the meter while the settings were not loaded: they win over the stored values at the next
    // load and are saved then. _changedWhileLoading holds settings changed while AddSettings was pending.
    // _saveAsked: a load finished, so the publisher thread saves what the settings service does not hold yet.
    private DeviceSetup _setup;
    private DeviceSetup? _pendingSetup;
    private bool _saveAsked;
    private Dictionary<string, BusValue>? _stored;
    private SettingsLink _link;
    private int _linkGeneration;
    private readonly HashSet<string> _unsaved = [];
    private readonly Dictionary<string, BusValue> _changedWhileLoading = [];

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
                AskWritten(_deviceSettings.ClassAndVrmInstance, role == wanted.Role ? wanted : wanted.WithRole(role, _settings.DeviceName));
                return SetValueResult.Accepted;
            case MeterPaths.Position:
                if (requested.Type != BusType.Int32) return SetValueResult.NotWritable;
                if (requested.AsInt32 < 0 || requested.AsInt32 > DeviceSetup.HighestPosition(wanted.Role)) return SetValueResult.Rejected;
                table.Set(row, requested);
                AskWritten(_deviceSettings.Position, wanted with { Position = requested.AsInt32 });
                return SetValueResult.Accepted;
            case MeterPaths.CustomName:
                int result = ItemWriters.CustomName(table, row, requested);
                if (result == SetValueResult.Accepted) AskWritten(_deviceSettings.CustomName, wanted with { CustomName = requested.AsString });
                return result;
            default:
                return ItemWriters.Default(table, row, requested);
        }
    }

    /// <summary>
    /// The settings service appeared (true) or went (false). On its connection's receive loop, or once more after
    /// start-up wiring: a second report of the same appearance changes nothing.
    /// </summary>
    public void OnSettingsPresence(bool present)
    {
        lock (_service.Gate)
        {
            if (present == (_link != SettingsLink.Absent)) return;
            _link = present ? SettingsLink.Asked : SettingsLink.Absent;
            _linkGeneration++;
            _stored = null;
            _changedWhileLoading.Clear();
        }
        if (present) _wake.Set();
        else _log.Warning($"{LocalSettings.ServiceName} left D-Bus: changes are kept in memory and saved when it is back");
    }

    /// <summary>A setting of ours has a new value (the GUI changed it, or our own save echoes). On the settings connection's receive loop.</summary>
    public void OnSettingChanged(string path, BusValue value)
    {
        string? problem;
        lock (_service.Gate)
        {
            // While AddSettings is pending its answer may already be older than this change: applied after it.
            if (_link == SettingsLink.Loading) _changedWhileLoading[path] = value;
            if (_stored is null) return;
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

    /// <summary>Under the gate: as <see cref="Ask"/>, for a write on the meter; remembered until the settings service has it.</summary>
    private void AskWritten(string path, DeviceSetup wanted)
    {
        if (_link != SettingsLink.Loaded) _unsaved.Add(path);
        Ask(wanted);
    }

    /// <summary>
    /// Publisher thread: a meter not on the bus waits while its settings load, so it never shows up under the config's
    /// role when the user chose another on the GX. A meter on the bus keeps publishing meanwhile.
    /// </summary>
    private bool WaitsForSettings()
    {
        lock (_service.Gate) return _link is SettingsLink.Asked or SettingsLink.Loading;
    }

    /// <summary>Publisher thread, when the settings service is (newly) there: starts loading, without waiting for it.</summary>
    private void LoadSettingsIfAsked()
    {
        int generation;
        lock (_service.Gate)
        {
            if (_link != SettingsLink.Asked || _localSettings is null) return;
            _link = SettingsLink.Loading;
            generation = _linkGeneration;
        }
        _ = LoadSettingsAsync(_localSettings, generation);
    }

    /// <summary>
    /// AddSettings with the current setup as defaults, then the values the service holds win: a role, instance or name
    /// chosen on the GX survives our restart. A slow answer is waited for (and said so after 10 s); a failed call is
    /// sent again every 10 s while the service is there. Ends when the service goes or comes anew.
    /// </summary>
    private async Task LoadSettingsAsync(LocalSettings localSettings, int generation)
    {
        long started = Stopwatch.GetTimestamp();
        bool slow = false;
        string? failure = null;
        while (true)
        {
            DeviceSetup basis;
            lock (_service.Gate)
            {
                if (generation != _linkGeneration || _stop.IsCancellationRequested) return;
                basis = _pendingSetup ?? _setup;
            }
            try
            {
                var adding = localSettings.AddAsync(_deviceSettings.Defaults(basis));
                if (!slow && await Task.WhenAny(adding, Task.Delay(SettingsPatience, _stop)).ConfigureAwait(false) != adding
                    && IsCurrent(generation) && !_stop.IsCancellationRequested)
                {
                    slow = true;
                    _log.Warning($"{LocalSettings.ServiceName} has not answered AddSettings for {SettingsPatience.TotalSeconds:0} s; still waiting");
                }
                var values = await adding.ConfigureAwait(false);
                Loaded(generation, values, slow ? Stopwatch.GetElapsedTime(started) : null);
                return;
            }
            catch (Exception error)
            {
                if (!IsCurrent(generation) || _stop.IsCancellationRequested) return;
                if (error.Message != failure)
                    _log.Warning($"cannot add {_deviceSettings.Prefix} to {LocalSettings.ServiceName} ({error.Message}): trying again every {SettingsPatience.TotalSeconds:0} s");
                failure = error.Message;
            }
            try { await Task.Delay(SettingsPatience, _stop).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    private bool IsCurrent(int generation)
    {
        lock (_service.Gate) return generation == _linkGeneration;
    }

    /// <summary>
    /// AddSettings answered: the stored values, updated by settings changed since, and what was written on the meter
    /// while they were not loaded (<see cref="DeviceSettings.Merge"/>). The publisher thread shows the result and
    /// saves what the service does not hold yet.
    /// </summary>
    private void Loaded(int generation, SettingValue[] values, TimeSpan? late)
    {
        var problems = new List<string>();
        DeviceSetup wanted;
        string kept;
        lock (_service.Gate)
        {
            if (generation != _linkGeneration) return;
            var stored = new Dictionary<string, BusValue>();
            foreach (var setting in values)
            {
                if (setting.Error == 0) stored[setting.Path] = setting.Value;
                else problems.Add($"{LocalSettings.ServiceName} refused {setting.Path} (error {setting.Error})");
            }
            foreach (var (path, value) in _changedWhileLoading) stored[path] = value;
            wanted = _deviceSettings.Merge(_pendingSetup ?? _setup, _settings.DeviceName, stored, _unsaved, problems);
            kept = string.Join(", ", _unsaved.Order(StringComparer.Ordinal).Select(path => path[(path.LastIndexOf('/') + 1)..]));
            _unsaved.Clear();
            _changedWhileLoading.Clear();
            _stored = stored;
            _link = SettingsLink.Loaded;
            Ask(wanted);
            _saveAsked = true;
            _wake.Set();
        }
        foreach (string problem in problems) _log.Warning(problem);
        _log.Info($"settings in {LocalSettings.ServiceName} under {_deviceSettings.Prefix}: {Describe(wanted)}"
            + (kept.Length > 0 ? $" (kept what was changed on the meter while it was away: {kept})" : "")
            + (late is { } time ? $" (answered after {time.TotalSeconds:0.0} s)" : ""));
    }

    /// <summary>Publisher thread: shows the wanted setup (a new role means a new registration), then saves it.</summary>
    private void ApplySetupIfAsked()
    {
        DeviceSetup wanted, shown;
        bool asked;
        lock (_service.Gate)
        {
            asked = _pendingSetup is not null;
            if (!asked && !_saveAsked) return;
            wanted = _pendingSetup ?? _setup;
            shown = _setup;
            _pendingSetup = null;
            _saveAsked = false;
        }
        if (wanted.Role != shown.Role) ChangeRole(wanted);
        else if (asked)
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
