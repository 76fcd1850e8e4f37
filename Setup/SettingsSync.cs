using MeterBridge.DBus;
using MeterBridge.Items;
using MeterBridge.Logging;

namespace MeterBridge.Setup;

/// <summary>
/// Role, VRM instance, name and position, kept in step with the GX's settings service (<c>com.victronenergy.settings</c>).
/// A change written on our service (<see cref="Write"/>, the GUI's device page) or in the settings service
/// (<see cref="OnSettingChanged"/>, the GUI's device list) is noted here; the hot loop's publisher thread shows it
/// (<see cref="TakeChange"/>: new values, or for a new role a new registration) and then <see cref="Save"/>s what the
/// settings service does not hold yet. Time and the settings store are handed in, so each scenario (a slow or failing
/// AddSettings, the service away and back, changes while away) runs as a unit test.
/// <para>
/// Threads: the settings connection's receive loop (presence, changes, AddSettings answers), the D-Bus thread
/// (<see cref="Write"/>, with the service's gate held) and the publisher. All state is under this type's own lock, which
/// is never held while calling the settings store or the log.
/// </para>
/// </summary>
internal sealed partial class SettingsSync
{
    /// <summary>
    /// How long AddSettings may take before the log says so. The call stays pending after that (a GX busy at boot
    /// answers late, and its answer still counts); a failed call is sent again after the same time.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>After this many failed AddSettings in a row the meter registers from the config and retries in the background.</summary>
    public const int FailuresBeforeFallback = 3;

    /// <summary>How often AddSettings is retried once the meter has fallen back to its config.</summary>
    public static readonly TimeSpan RetryAfterFallback = TimeSpan.FromSeconds(60);

    private readonly DeviceSettings _paths;
    private readonly string _deviceName;
    private readonly ISettingsStore? _store;
    private readonly Log _log;
    private readonly TimeProvider _time;
    private readonly Action _wake;
    private readonly CancellationToken _stop;
    private readonly Lock _gate = new();
    private readonly long _waitEnds;
    private readonly bool _waits;

    // Under _gate. _shown is what the service shows, _pending what it should show next, _stored what the settings
    // service holds by path (null until loaded). _generation counts appearances and departures of the settings service:
    // an answer to an AddSettings sent before the last one is dropped. _unsaved: paths written on the meter while the
    // settings were not loaded; they win over the stored values at the next load and are saved then. _changedWhileLoading:
    // settings changed while AddSettings was pending. _saveAsked: a load finished, so the publisher saves what is missing.
    private DeviceSetup _shown;
    private DeviceSetup? _pending;
    private bool _saveAsked;
    private Dictionary<string, BusValue>? _stored;
    private SettingsLink _link;
    private int _generation;
    private int _failures;
    private bool _waitOver;
    private readonly HashSet<string> _unsaved = [];
    private readonly Dictionary<string, BusValue> _changedWhileLoading = [];

    /// <param name="store">The settings service client; null when there is none to talk to (the config alone counts).</param>
    /// <param name="wait">How long a meter not on the bus yet waits for the settings service to appear (a GX at boot).</param>
    /// <param name="wake">Wakes the publisher thread: there is something to show, save or register.</param>
    public SettingsSync(DeviceSettings paths, DeviceSetup fromConfig, string deviceName, ISettingsStore? store, TimeSpan wait,
        Log log, TimeProvider time, Action wake, CancellationToken stop)
    {
        _paths = paths;
        _shown = fromConfig;
        _deviceName = deviceName;
        _store = store;
        _log = log;
        _time = time;
        _wake = wake;
        _stop = stop;
        _waits = store is not null && wait > TimeSpan.Zero;
        _waitEnds = time.GetTimestamp() + (_waits ? (long)(wait.TotalSeconds * time.TimestampFrequency) : 0);
    }

    /// <summary>What the service shows now.</summary>
    public DeviceSetup Shown
    {
        get { lock (_gate) return _shown; }
    }

    /// <summary>
    /// Publisher thread, while the meter is not on the bus: true while it must not register yet, so that it never shows up
    /// under the config's role when the user chose another on the GX. That is while the settings service is expected but
    /// not there yet (until the wait ends), and while AddSettings is pending or failed fewer than
    /// <see cref="FailuresBeforeFallback"/> times. A meter on the bus keeps publishing meanwhile.
    /// </summary>
    public bool WaitsForSettings(long now)
    {
        bool waitEnded;
        lock (_gate)
        {
            switch (_link)
            {
                case SettingsLink.Asked or SettingsLink.Loading:
                    return _failures < FailuresBeforeFallback;
                case SettingsLink.Loaded:
                    return false;
            }
            if (now < _waitEnds) return true;
            waitEnded = !_waitOver;
            _waitOver = true;
        }
        if (waitEnded && _waits)
            _log.Warning($"{LocalSettings.ServiceName} did not appear: the meter registers from the config; its settings are loaded when it does");
        return false;
    }

    /// <summary>When the wait for an absent settings service ends (a deadline for the publisher's sleep); long.MaxValue when it is not waited for.</summary>
    public long WaitEnds(long now)
    {
        lock (_gate) return _link == SettingsLink.Absent && now < _waitEnds ? _waitEnds : long.MaxValue;
    }

    /// <summary>
    /// The settings service appeared (true) or went (false). On its connection's receive loop, or once more after start-up
    /// wiring: a second report of the same appearance changes nothing.
    /// </summary>
    public void OnPresence(bool present)
    {
        lock (_gate)
        {
            if (present == (_link != SettingsLink.Absent)) return;
            _link = present ? SettingsLink.Asked : SettingsLink.Absent;
            _generation++;
            _failures = 0;
            _stored = null;
            _changedWhileLoading.Clear();
        }
        if (present) _wake();
        else _log.Warning($"{LocalSettings.ServiceName} left D-Bus: changes are kept in memory and saved when it is back");
    }

    /// <summary>A setting of ours has a new value (the GUI changed it, or our own save echoes). On the settings connection's receive loop.</summary>
    public void OnSettingChanged(string path, BusValue value)
    {
        string? problem;
        lock (_gate)
        {
            // While AddSettings is pending its answer may already be older than this change: applied after it.
            if (_link == SettingsLink.Loading) _changedWhileLoading[path] = value;
            if (_stored is null) return;
            _stored[path] = value;
            var wanted = _paths.Apply(Wanted, _deviceName, path, value, out problem);
            if (wanted is not null) Ask(wanted);
        }
        if (problem is not null) _log.Warning($"ignored a setting: {problem}");
    }

    /// <summary>
    /// Publisher thread: the setup to show now, when something changed or a load is to be saved; null otherwise. From then
    /// on it counts as shown: the caller shows it (a new role: a new registration), then calls <see cref="Save"/>.
    /// </summary>
    public SetupChange? TakeChange()
    {
        lock (_gate)
        {
            if (_pending is null && !_saveAsked) return null;
            var change = new SetupChange(_shown, _pending ?? _shown, Asked: _pending is not null);
            _shown = change.Wanted;
            _pending = null;
            _saveAsked = false;
            return change;
        }
    }

    /// <summary>Under _gate: what the next change starts from.</summary>
    private DeviceSetup Wanted => _pending ?? _shown;

    /// <summary>Under _gate: <paramref name="wanted"/> becomes the next setup, and the publisher thread is woken.</summary>
    private void Ask(DeviceSetup wanted)
    {
        if (wanted == Wanted) return;
        _pending = wanted;
        _wake();
    }

    /// <summary>Under _gate: as <see cref="Ask"/>, for a write on the meter; remembered until the settings service has it.</summary>
    private void AskWritten(string path, DeviceSetup wanted)
    {
        if (_link != SettingsLink.Loaded) _unsaved.Add(path);
        Ask(wanted);
    }
}

/// <summary>What the publisher is to show: <see cref="Wanted"/> instead of <see cref="Shown"/>; <see cref="Asked"/> when it differs (else only a save is due).</summary>
internal readonly record struct SetupChange(DeviceSetup Shown, DeviceSetup Wanted, bool Asked);

/// <summary>Where the meter stands with the GX's settings service (<c>com.victronenergy.settings</c>).</summary>
internal enum SettingsLink
{
    /// <summary>Not on the bus (or not yet seen): role, instance and name live in memory.</summary>
    Absent,
    /// <summary>On the bus; the publisher thread is to send AddSettings.</summary>
    Asked,
    /// <summary>AddSettings sent and not answered yet (or failed and to be sent again).</summary>
    Loading,
    /// <summary>Its values are read and in use; what the meter changes is saved to it.</summary>
    Loaded,
}
