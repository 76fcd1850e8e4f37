using System.Diagnostics;
using MeterBridge.DBus;
using MeterBridge.Items;

namespace MeterBridge.GxApp;

/// <summary>The meters' settings in localsettings: added, imported once from config.ini, followed into app.ini.</summary>
internal sealed partial class MeterApp
{
    /// <summary>
    /// The settings service is there (at start, or back): add what the app keeps there (never overwriting), import the
    /// config.ini files not imported yet, read every meter's settings, and follow them.
    /// </summary>
    private async Task AdoptSettingsAsync()
    {
        try
        {
            Take(await _settings!.AddAsync([new(MeterSettings.MetersPath, BusValue.Of("")), new(MeterSettings.ImportedPath, BusValue.Of(""))]));
            await ImportAsync();
            foreach (int meter in MeterSettings.ParseList(Text(MeterSettings.MetersPath)))
                await AddMeterSettingsAsync(meter, defaults: null);
        }
        catch (Exception error)
        {
            log.Warning($"cannot add the settings to {LocalSettings.ServiceName} ({error.Message}): trying again in {SettingsRetry.TotalSeconds:0} s");
            _ = Task.Delay(SettingsRetry).ContinueWith(_ => Post(new Presence(true)), TaskScheduler.Default);
            return;
        }
        if (!_present) log.Info($"{LocalSettings.ServiceName} is there: meters {Text(MeterSettings.MetersPath) switch { "" => "(none yet)", var list => list }}");
        _present = true;
        foreach (int meter in MeterSettings.ParseList(Text(MeterSettings.MetersPath))) _dirty.Add(meter);
        await ReconcileAsync();
    }

    /// <summary>Every <c>meter-N/config.ini</c> whose N is not in Imported: its values become N's defaults, once.</summary>
    private async Task ImportAsync()
    {
        var imported = MeterSettings.ParseList(Text(MeterSettings.ImportedPath));
        var meters = MeterSettings.ParseList(Text(MeterSettings.MetersPath));
        foreach (int meter in ConfigImport.Found(home))
        {
            string path = ConfigImport.PathOf(home, meter);
            ConfigImport.Read? read = ReadConfig(meter);
            if (read is null || imported.Contains(meter)) continue;
            foreach (string problem in read.Problems) log.Warning(problem);
            await AddMeterSettingsAsync(meter, read.Values);
            imported.Add(meter);
            meters.Add(meter);
            await SetAsync(MeterSettings.MetersPath, BusValue.Of(MeterSettings.ListText(meters)));
            await SetAsync(MeterSettings.ImportedPath, BusValue.Of(MeterSettings.ListText(imported)));
            log.Info($"imported {path} into the settings of meter {meter} (once: the file is left as it is and not read for them again)");
        }
    }

    /// <summary>A meter's config.ini, if it has one: its carried keys are kept for its app.ini.</summary>
    private ConfigImport.Read? ReadConfig(int meter)
    {
        string path = ConfigImport.PathOf(home, meter);
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(path)) log.Warning($"cannot read {path}: {error.Message}");
            return null;
        }
        var read = ConfigImport.Parse(text, path);
        _carried[meter] = read.Carried;
        return read;
    }

    /// <summary>AddSettings for a meter's settings: <paramref name="defaults"/> (an import) or the table's.</summary>
    private async Task AddMeterSettingsAsync(int meter, IReadOnlyDictionary<string, BusValue>? defaults)
    {
        var entries = MeterSettings.All.Select(setting => new SettingDefault(MeterSettings.PathOf(meter, setting),
            defaults?.GetValueOrDefault(setting.Name) is { IsValid: true } given ? given : setting.Default,
            setting.Min is { } min && setting.Type == BusType.Int32 ? (int)min : null,
            setting.Max is { } max && setting.Type == BusType.Int32 ? (int)max : null)).ToList();
        Take(await _settings!.AddAsync(entries));
        _added.Add(meter);
        if (!_carried.ContainsKey(meter)) ReadConfig(meter);
    }

    private void Take(SettingValue[] results)
    {
        foreach (SettingValue result in results)
            if (result.Error == 0 && result.Value.IsValid) _values[result.Path] = result.Value;
    }

    private async Task SetAsync(string path, BusValue value)
    {
        int answer = await _settings!.SetAsync(path, value);
        if (answer != 0) throw new InvalidOperationException($"{LocalSettings.ServiceName} refused {path} (SetValue answered {answer})");
        _values[path] = value;
    }

    private string Text(string path) => _values.GetValueOrDefault(path).AsString;

    private void OnChanged(string path, BusValue value)
    {
        if (!_present) return;
        _values[path] = value;
        if (path is MeterSettings.MetersPath)
        {
            _gatherUntil ??= Stopwatch.GetTimestamp();
            return;
        }
        // /Settings/MeterBridge/N/Name
        string rest = path.Length > MeterSettings.Root.Length + 1 ? path[(MeterSettings.Root.Length + 1)..] : "";
        int slash = rest.IndexOf('/');
        if (slash > 0 && int.TryParse(rest.AsSpan(0, slash), out int meter) && _slots.ContainsKey(meter))
        {
            _dirty.Add(meter);
            // Gathered from the first change: a burst is acted on together, and a steady trickle cannot hold it back.
            _gatherUntil ??= Stopwatch.GetTimestamp() + (long)(Gather.TotalSeconds * Stopwatch.Frequency);
        }
    }

    /// <summary>A gathered burst is over: the meter list, then each changed meter.</summary>
    private Task FollowAsync() => ReconcileAsync();

    /// <summary>Starts the meters the list has and the app does not run, stops those it no longer has, follows the changed ones.</summary>
    private async Task ReconcileAsync()
    {
        if (!_present) return;
        var wanted = MeterSettings.ParseList(Text(MeterSettings.MetersPath));
        var gones = new List<int>();
        foreach (int n in _slots.Keys)
            if (!wanted.Contains(n)) gones.Add(n);
        foreach (int gone in gones)
        {
            await StopChildAsync(_slots[gone]);
            _slots.Remove(gone);
            log.Info($"meter {gone} removed: stopped (its settings stay)");
        }
        foreach (int meter in wanted)
        {
            if (_slots.ContainsKey(meter)) continue;
            if (!_added.Contains(meter)) await AddMeterSettingsAsync(meter, defaults: null);
            _slots[meter] = new MeterSlot(meter);
            _dirty.Add(meter);
        }
        _control!.SetMeters(wanted);
        foreach (int meter in wanted) // the meters now, ascending
            if (_dirty.Contains(meter)) await FollowAsync(_slots[meter]);
        _dirty.Clear();
    }

    /// <summary>
    /// A meter's settings, checked one by one and then as the app.ini its run would load: if valid and not what it runs
    /// on, written and the meter restarted on them; if not, refused (State settings) while it runs on the last good ones.
    /// </summary>
    private async Task FollowAsync(MeterSlot slot)
    {
        int meter = slot.Meter;
        var values = new Dictionary<string, BusValue>();
        foreach (MeterSetting s in MeterSettings.All) values[s.Name] = _values.GetValueOrDefault(MeterSettings.PathOf(meter, s));
        string? problem = AppIni.Problem(values);
        AppIni.Text? ini = null;
        if (problem is null)
        {
            ini = AppIni.Generate(meter, values, _carried.GetValueOrDefault(meter) ?? [], busAddress);
            if (ini.Content == slot.Ini && slot.SettingsProblem is null) return;
            if (ini.Content != slot.Ini) problem = AppIniFile.Write(home, meter, ini, out var settings) ?? Keep(slot, settings);
        }
        if (problem is not null)
        {
            if (problem != slot.SettingsProblem)
                log.Warning($"meter {meter}: setting refused: {problem}; it {(slot.Child is null && slot.Ini is null ? "waits for good settings" : "keeps running on its last good settings")}");
            slot.SettingsProblem = problem;
            if (slot.Ini is null && slot.Child is null && AppIniFile.Current(home, meter) is { } last && AppIniFile.Load(home, meter) is { } lastSettings)
            {
                slot.Ini = last; // from an earlier run: the last good settings
                slot.Settings = lastSettings;
                StartChild(slot);
            }
            Show(slot);
            return;
        }
        if (slot.SettingsProblem is not null) log.Info($"meter {meter}: settings accepted again");
        slot.SettingsProblem = null;
        if (ini!.Content == slot.Ini) { Show(slot); return; }
        bool running = slot.Child is not null;
        if (running) log.Info($"meter {meter}: settings changed: restarting it");
        await StopChildAsync(slot);
        slot.Ini = ini.Content;
        slot.Retry = MeterSlot.FirstRetry;
        StartChild(slot);
    }

    private static string? Keep(MeterSlot slot, Config.Settings? settings)
    {
        slot.Settings = settings;
        return null;
    }
}
