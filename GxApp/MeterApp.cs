using System.Diagnostics;
using System.Threading.Channels;
using MeterBridge.DBus;
using MeterBridge.Detect;
using MeterBridge.Items;
using MeterBridge.Setup;

namespace MeterBridge.GxApp;

/// <summary>
/// <c>meterbridge app</c> (docs/gx-app.md): keeps the meters and their settings in localsettings, runs each meter as a
/// <c>run</c> child on the app.ini written from its settings, follows every settings change, serves the control service
/// and runs detect on request. Everything happens on one loop that takes one event at a time (a setting changed, a child
/// said something or exited, a write on the control service, a detect tick): no locks between the parts, and no timer
/// while nothing happens (a burst of settings changes is gathered for <see cref="Gather"/>, a restart waits its back-off).
/// </summary>
internal sealed class MeterApp(string home, string? busAddress, string binary, AppLog log)
{
    /// <summary>A page writes several settings at once: act once they have all come, well within the promised second.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(150);
    /// <summary>How long a stopped meter may take to leave the broker and the bus before it is killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    public const int DetectSeconds = 15;
    private static readonly TimeSpan SettingsRetry = TimeSpan.FromSeconds(10);

    private readonly Channel<object> _events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, BusValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<int, MeterSlot> _slots = [];
    private readonly Dictionary<int, List<CarriedKey>> _carried = [];
    private readonly HashSet<int> _added = [];   // meters whose settings were added since the settings service came
    private readonly HashSet<int> _dirty = [];
    private readonly DetectRun _detect = new();
    private long? _gatherUntil;
    private bool _present;
    private LocalSettings? _settings;
    private ControlService? _control;

    // The loop's events.
    private sealed record Presence(bool Present);
    private sealed record Changed(string Path, BusValue Value);
    private sealed record ChildOutput(int Meter, MeterChild Child, string Line, bool State);
    private sealed record ChildExited(int Meter, MeterChild Child, int Code);
    private sealed record RestartDue(int Meter, int Generation);
    private sealed record BusLost(string Why);

    private void Post(object news) => _events.Writer.TryWrite(news);

    public async Task<int> RunAsync(CancellationToken stop)
    {
        _control = new ControlService(busAddress, Post);
        try
        {
            _settings = await LocalSettings.ConnectAsync(busAddress, MeterSettings.Root, present => Post(new Presence(present)), (path, value) => Post(new Changed(path, value)));
            await _control.RegisterAsync();
        }
        catch (BusNameTakenException)
        {
            log.Error($"the D-Bus name {ControlService.Name} is already taken: is another meterbridge app running?");
            _settings?.Dispose();
            return 3;
        }
        catch (Exception error)
        {
            log.Error($"cannot reach D-Bus at {busAddress ?? "the system bus"}: {error.Message}");
            _settings?.Dispose();
            return 1;
        }
        _ = _control.ConnectionLost.ContinueWith(lost => Post(new BusLost(lost.Result.Message)), TaskScheduler.Default);
        _ = _settings.ConnectionLost.ContinueWith(lost => Post(new BusLost(lost.Result.Message)), TaskScheduler.Default);
        log.Info($"meterbridge app {Identity.Version}: {ControlService.Name} on D-Bus, the meters' files in {home}");
        if (await _settings.IsPresentAsync()) Post(new Presence(true));
        else log.Info($"waiting for {LocalSettings.ServiceName} on D-Bus: the meters and their settings live there (meterbridge app is for a GX; elsewhere use meterbridge run)");

        int exitCode = 0;
        try
        {
            while (true)
            {
                object? news = await NextAsync(stop);
                if (news is BusLost lost)
                {
                    log.Error($"lost the D-Bus connection ({lost.Why}): exiting so daemontools restarts the app");
                    exitCode = 1;
                    break;
                }
                try { await HandleAsync(news); }
                catch (Exception error) when (error is not OperationCanceledException) { log.Error($"{error.Message} (the app carries on)"); }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { /* SIGTERM */ }

        _detect.Cancel();
        await Task.WhenAll(_slots.Values.Select(StopChildAsync));
        await _control.UnregisterAsync();
        _settings.Dispose();
        log.Info($"stopped (exit code {exitCode})");
        return exitCode;
    }

    /// <summary>The next event; null when a gathered burst of settings changes is due.</summary>
    private async Task<object?> NextAsync(CancellationToken stop)
    {
        while (true)
        {
            if (_events.Reader.TryRead(out object? news)) return news;
            if (_gatherUntil is not { } until)
            {
                await _events.Reader.WaitToReadAsync(stop);
                continue;
            }
            TimeSpan left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
            if (left <= TimeSpan.Zero)
            {
                _gatherUntil = null;
                return null;
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
            wait.CancelAfter(left);
            try { await _events.Reader.WaitToReadAsync(wait.Token); }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested) { /* the burst is over */ }
        }
    }

    private async Task HandleAsync(object? news)
    {
        switch (news)
        {
            case null:
                await FollowAsync();
                break;
            case Presence { Present: true }:
                await AdoptSettingsAsync();
                break;
            case Presence { Present: false }:
                _present = false;
                _added.Clear();
                log.Warning($"{LocalSettings.ServiceName} left D-Bus: the meters keep running on their settings; they are read again when it is back");
                break;
            case Changed changed:
                OnChanged(changed.Path, changed.Value);
                break;
            case ChildOutput output:
                OnChildOutput(output);
                break;
            case ChildExited exited:
                OnChildExited(exited);
                break;
            case RestartDue due:
                if (_slots.TryGetValue(due.Meter, out var slot) && slot.Child is null && slot.Generation == due.Generation && slot.Ini is not null)
                    StartChild(slot);
                break;
            case ControlRequest request:
                await OnRequestAsync(request);
                break;
            case DetectRun.Tick tick:
                if (_detect.IsCurrent(tick.Session)) _control!.SetSecondsLeft(tick.SecondsLeft);
                break;
            case DetectRun.Done done:
                if (_detect.Finish(done) is { } shown) _control!.SetDetect(shown.State, shown.Meter, 0, shown.Error, shown.Result, shown.Results);
                break;
        }
    }

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
        foreach (int gone in _slots.Keys.Where(n => !wanted.Contains(n)).ToList())
        {
            await StopChildAsync(_slots[gone]);
            _slots.Remove(gone);
            log.Info($"meter {gone} removed: stopped (its settings stay)");
        }
        foreach (int meter in wanted.Where(n => !_slots.ContainsKey(n)))
        {
            if (!_added.Contains(meter)) await AddMeterSettingsAsync(meter, defaults: null);
            _slots[meter] = new MeterSlot(meter);
            _dirty.Add(meter);
        }
        _control!.SetMeters(wanted);
        foreach (int meter in _dirty.Where(_slots.ContainsKey).Order().ToList())
            await FollowAsync(_slots[meter]);
        _dirty.Clear();
    }

    /// <summary>
    /// A meter's settings, checked one by one and then as the app.ini its run would load: if valid and not what it runs
    /// on, written and the meter restarted on them; if not, refused (State settings) while it runs on the last good ones.
    /// </summary>
    private async Task FollowAsync(MeterSlot slot)
    {
        int meter = slot.Meter;
        var values = MeterSettings.All.ToDictionary(s => s.Name, s => _values.GetValueOrDefault(MeterSettings.PathOf(meter, s)));
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

    private void StartChild(MeterSlot slot)
    {
        int meter = slot.Meter;
        slot.Started();
        MeterChild? child = null;
        try
        {
            child = MeterChild.Start(binary, AppIniFile.PathOf(home, meter), meter,
                line =>
                {
                    log.Forward(meter, line);
                    if (line.StartsWith("WARNING ", StringComparison.Ordinal) || line.StartsWith("ERROR ", StringComparison.Ordinal) || line.StartsWith("INFO connected to ", StringComparison.Ordinal))
                        Post(new ChildOutput(meter, child!, line, State: false));
                },
                line =>
                {
                    if (line.StartsWith(Mqtt.StateLines.Prefix, StringComparison.Ordinal)) Post(new ChildOutput(meter, child!, line[Mqtt.StateLines.Prefix.Length..], State: true));
                    else
                    {
                        log.Forward(meter, line);
                        Post(new ChildOutput(meter, child!, "ERROR " + line, State: false));
                    }
                });
        }
        catch (Exception error)
        {
            log.Error($"meter {meter}: cannot start {binary}: {error.Message}");
            slot.Exited(-1);
            Show(slot);
            ScheduleRestart(slot);
            return;
        }
        slot.Child = child;
        _ = child.Exited.ContinueWith(exit => Post(new ChildExited(meter, child, exit.Result)), TaskScheduler.Default);
        Show(slot);
    }

    private async Task StopChildAsync(MeterSlot slot)
    {
        if (slot.Child is not { } child) return;
        slot.Child = null; // its exit is ours, not a crash
        await child.StopAsync(StopGrace);
    }

    private void OnChildOutput(ChildOutput output)
    {
        if (!_slots.TryGetValue(output.Meter, out var slot) || slot.Child != output.Child) return;
        if (output.State) slot.OnState(output.Line);
        else slot.OnLogLine(output.Line);
        Show(slot);
    }

    private void OnChildExited(ChildExited exited)
    {
        if (!_slots.TryGetValue(exited.Meter, out var slot) || slot.Child != exited.Child) return;
        slot.Child = null;
        slot.Exited(exited.Code);
        if (Stopwatch.GetElapsedTime(exited.Child.StartedAt) >= MeterSlot.LastRetry) slot.Retry = MeterSlot.FirstRetry;
        log.Warning($"meter {exited.Meter} exited with code {exited.Code}: starting it again in {slot.Retry.TotalSeconds:0} s");
        Show(slot);
        ScheduleRestart(slot);
    }

    private void ScheduleRestart(MeterSlot slot)
    {
        var due = new RestartDue(slot.Meter, slot.Generation);
        _ = Task.Delay(slot.Retry).ContinueWith(_ => Post(due), TaskScheduler.Default);
        slot.Retry = TimeSpan.FromTicks(Math.Min(slot.Retry.Ticks * 2, MeterSlot.LastRetry.Ticks));
    }

    private void Show(MeterSlot slot)
    {
        var (state, reason, service) = slot.Shown();
        _control!.SetMeter(slot.Meter, state, reason, service);
    }

    private async Task OnRequestAsync(ControlRequest request)
    {
        if (!_present)
        {
            log.Warning($"{LocalSettings.ServiceName} is not there: the request is dropped");
            return;
        }
        int n = request.Value;
        switch (request.Row)
        {
            case ControlPaths.Add:
                // Adding N again resets its settings: AddSettings creates what is missing, SetValue puts back the rest.
                await AddMeterSettingsAsync(n, defaults: null);
                foreach (MeterSetting setting in MeterSettings.All)
                    if (_values.GetValueOrDefault(MeterSettings.PathOf(n, setting)) != setting.Default)
                        await SetAsync(MeterSettings.PathOf(n, setting), setting.Default);
                await SetAsync(MeterSettings.MetersPath, BusValue.Of(MeterSettings.ListText([.. MeterSettings.ParseList(Text(MeterSettings.MetersPath)), n])));
                log.Info($"meter {n} added");
                await ReconcileAsync();
                break;
            case ControlPaths.Remove:
                await SetAsync(MeterSettings.MetersPath, BusValue.Of(MeterSettings.ListText(MeterSettings.ParseList(Text(MeterSettings.MetersPath)).Where(m => m != n))));
                await ReconcileAsync();
                break;
            case ControlPaths.DetectStart:
                var slot = _slots.GetValueOrDefault(n);
                var shown = _detect.Start(n, slot?.Settings, slot?.SettingsProblem, DetectSeconds, Post);
                _control!.SetDetect(shown.State, shown.Meter, shown.SecondsLeft, shown.Error, shown.Result, shown.Results);
                if (shown.State == "listening") log.Info($"detect: listening to meter {n}'s broker for {DetectSeconds} s");
                break;
            case ControlPaths.DetectStop:
                _detect.Cancel();
                break;
            case ControlPaths.DetectApply:
                if (_detect.Chosen(n) is not { } found || !_slots.ContainsKey(_detect.Meter)) return;
                int meter = _detect.Meter;
                await SetAsync(MeterSettings.PathOf(meter, Setting("Format")), BusValue.Of(found.Format));
                await SetAsync(MeterSettings.PathOf(meter, Setting("Topic")), BusValue.Of(found.Topic));
                await SetAsync(MeterSettings.PathOf(meter, Setting("Channel")), BusValue.Of(found.Channel));
                await SetAsync(MeterSettings.PathOf(meter, Setting(MeterSettings.Mapping)), BusValue.Of(found.Mapping));
                log.Info($"detect: meter {meter} set to result {n} ({found.Format} on {found.Topic})");
                _dirty.Add(meter);
                await ReconcileAsync();
                break;
        }
    }

    private static MeterSetting Setting(string name) => MeterSettings.All.First(s => s.Name == name);
}
