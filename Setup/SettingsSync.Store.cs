using MeterBridge.DBus;
using MeterBridge.Items;

namespace MeterBridge.Setup;

/// <summary>Loading from the settings service (AddSettings) and saving to it (SetValue).</summary>
internal sealed partial class SettingsSync
{
    /// <summary>Publisher thread, when the settings service is (newly) there: starts loading, without waiting for it.</summary>
    public void LoadIfAsked()
    {
        int generation;
        lock (_gate)
        {
            if (_link != SettingsLink.Asked || _store is null) return;
            _link = SettingsLink.Loading;
            generation = _generation;
        }
        _ = LoadAsync(_store, generation);
    }

    /// <summary>
    /// AddSettings with the current setup as defaults, then the values the service holds win: a role, instance or name
    /// chosen on the GX survives our restart. A slow answer is waited for (and said so after <see cref="Patience"/>); a
    /// failed call is sent again after <see cref="Patience"/>, after <see cref="FailuresBeforeFallback"/> failures every
    /// <see cref="RetryAfterFallback"/>. Ends when the service goes or comes anew.
    /// </summary>
    private async Task LoadAsync(ISettingsStore store, int generation)
    {
        long started = _time.GetTimestamp();
        bool slow = false;
        while (true)
        {
            DeviceSetup basis;
            lock (_gate)
            {
                if (generation != _generation || _stop.IsCancellationRequested) return;
                basis = Wanted;
            }
            TimeSpan retry;
            try
            {
                var adding = store.AddAsync(_paths.Defaults(basis));
                if (!slow && await Task.WhenAny(adding, Task.Delay(Patience, _time, _stop)).ConfigureAwait(false) != adding
                    && IsCurrent(generation) && !_stop.IsCancellationRequested)
                {
                    slow = true;
                    _log.Warning($"{LocalSettings.ServiceName} has not answered AddSettings for {Patience.TotalSeconds:0} s; still waiting");
                }
                var values = await adding.ConfigureAwait(false);
                Loaded(generation, values, slow ? _time.GetElapsedTime(started) : null);
                return;
            }
            catch (Exception error)
            {
                if (!IsCurrent(generation) || _stop.IsCancellationRequested) return;
                retry = Failed(error);
            }
            try { await Task.Delay(retry, _time, _stop).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>
    /// One line per failed AddSettings (an error reply, a service without the method, an answer of the wrong type). A slow
    /// service is waited for; a prompt error is not: after <see cref="FailuresBeforeFallback"/> of them the meter registers
    /// from its config, which holds all it needs, and the load goes on in the background. Returns when to try again.
    /// </summary>
    private TimeSpan Failed(Exception error)
    {
        int failures;
        lock (_gate) failures = ++_failures;
        string what = $"{LocalSettings.ServiceName} failed AddSettings for {_paths.Prefix} ({OneLine(error)})";
        if (failures < FailuresBeforeFallback)
        {
            _log.Warning($"{what}: trying again in {Patience.TotalSeconds:0} s");
            return Patience;
        }
        _log.Warning(failures == FailuresBeforeFallback
            ? $"{what}: {failures} times in a row, so the meter uses its config; trying again every {RetryAfterFallback.TotalSeconds:0} s"
            : $"{what}: trying again in {RetryAfterFallback.TotalSeconds:0} s");
        if (failures == FailuresBeforeFallback) _wake();
        return RetryAfterFallback;
    }

    /// <summary>An error as one line: a Python service's error reply carries its whole traceback, whose last line says what went wrong.</summary>
    private static string OneLine(Exception error)
    {
        string[] lines = error.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string text = lines.Length == 0 ? error.GetType().Name : lines[^1];
        return text.Length <= 200 ? text : text[..200] + "…";
    }

    private bool IsCurrent(int generation)
    {
        lock (_gate) return generation == _generation;
    }

    /// <summary>
    /// AddSettings answered: the stored values, updated by settings changed since, and what was written on the meter while
    /// they were not loaded (<see cref="DeviceSettings.Merge"/>). The publisher thread shows the result and saves what the
    /// service does not hold yet.
    /// </summary>
    private void Loaded(int generation, SettingValue[] values, TimeSpan? late)
    {
        var problems = new List<string>();
        DeviceSetup wanted;
        string kept;
        lock (_gate)
        {
            if (generation != _generation) return;
            var stored = new Dictionary<string, BusValue>();
            foreach (var setting in values)
            {
                if (setting.Error == 0) stored[setting.Path] = setting.Value;
                else problems.Add($"{LocalSettings.ServiceName} refused {setting.Path} (error {setting.Error})");
            }
            foreach (var (path, value) in _changedWhileLoading) stored[path] = value;
            wanted = _paths.Merge(Wanted, _deviceName, stored, _unsaved, problems);
            kept = string.Join(", ", _unsaved.Order(StringComparer.Ordinal).Select(path => path[(path.LastIndexOf('/') + 1)..]));
            _unsaved.Clear();
            _changedWhileLoading.Clear();
            _stored = stored;
            _link = SettingsLink.Loaded;
            _failures = 0;
            if (wanted != Wanted) _pending = wanted;
            _saveAsked = true;
        }
        _wake();
        foreach (string problem in problems) _log.Warning(problem);
        _log.Info($"settings in {LocalSettings.ServiceName} under {_paths.Prefix}: {wanted.Describe()}"
            + (kept.Length > 0 ? $" (kept what was changed on the meter while it was away: {kept})" : "")
            + (late is { } time ? $" (answered after {time.TotalSeconds:0.0} s)" : ""));
    }

    /// <summary>Publisher thread: writes to the settings service what it does not hold yet; it answers asynchronously, failures are logged.</summary>
    public void Save(DeviceSetup setup)
    {
        if (_store is null) return;
        foreach (var (path, value) in _paths.Values(setup))
        {
            lock (_gate)
            {
                if (_stored is null) return;
                if (_stored.TryGetValue(path, out var held) && held == value) continue;
                _stored[path] = value;
            }
            _ = SaveAsync(_store, path, value);
        }
    }

    private async Task SaveAsync(ISettingsStore store, string path, BusValue value)
    {
        try
        {
            int result = await store.SetAsync(path, value).ConfigureAwait(false);
            if (result != 0) _log.Warning($"{LocalSettings.ServiceName} refused {path} (SetValue answered {result})");
        }
        catch (Exception error)
        {
            _log.Warning($"cannot save {path} to {LocalSettings.ServiceName}: {OneLine(error)}");
        }
    }
}
