using System.Buffers;
using System.Diagnostics;
using MeterBridge.Config;
using MeterBridge.Core;
using MeterBridge.DBus;
using MeterBridge.Items;
using MeterBridge.Logging;
using MeterBridge.Mqtt;
using MeterBridge.Setup;
using MeterBridge.Storage;

namespace MeterBridge.Bridge;

/// <summary>
/// The hot loop. Reader (MQTT) thread: payload → decode → merge (<see cref="OnPayload"/>), and when nothing more is
/// waiting to be read, merged state → changed D-Bus values → one ItemsChanged (<see cref="EndOfBatch"/>), at most
/// one per update interval. Messages that come within the interval are merged and go out together at its end: the
/// newest state wins, nothing queues, and a Tasmota meter's one-value messages are never lost to coalescing.
/// <para>
/// Wake-ups, not messages, are what a GX pays for (docs/performance.md). A message that comes when the interval has
/// passed is published at once by the reader thread itself; one that comes too soon makes the reader sit out the
/// rest of the interval without reading (the next messages wait in the kernel) and then publish them all as one.
/// The publisher thread (<see cref="Run"/>) registers, applies staleness and what <see cref="SettingsSync"/> asks (a new
/// role, instance, name or position), and publishes what a reader could not (a QoS 1 reader cannot wait); every signal
/// is sent under the service's gate.
/// </para>
/// <para>
/// The status on the broker (<see cref="IStatusSink"/>) is told from where things change: the publisher thread shows
/// waiting, fresh or stale, the service and the shown instance before each sleep (and publishes a change inline); the
/// reader passes on a rejection's reason, which wakes the publisher only when its kind is new.
/// </para>
/// </summary>
internal sealed class HotLoop : IPayloadSink
{
    private static readonly long Frequency = Stopwatch.Frequency;
    /// <summary>
    /// At most 2 000 signals a second, whatever update_interval says: Tmds queues what the bus cannot take yet,
    /// without bound, and a flood of messages each sent at once ran the heap out.
    /// </summary>
    private static readonly long ShortestInterval = Frequency / 2000;
    private static readonly TimeSpan WaitingLogInterval = TimeSpan.FromMinutes(1);
    /// <summary>The counters file is written at most this often (and when the bridge stops): a kill loses at most this much.</summary>
    private static readonly long EnergySaveInterval = 60 * Frequency;

    private readonly Settings _settings;
    private readonly Log _log;
    private readonly RepeatFilter _problems;
    private readonly BusItemService _service;
    private readonly ItemTable _table;
    private readonly Meter _meter;
    private readonly MeterItems _items = new();
    private readonly StaleTimer _stale;
    private readonly SettingsSync _setup;
    private readonly IStatusSink? _status;
    private readonly AutoResetEvent _wake;
    private readonly WaitHandle[] _waitHandles;
    private readonly CancellationToken _stop;
    private readonly long _interval;
    private byte[] _copy = [];
    private readonly EnergyCountersFile? _energyFile; // null: the counters from power are not kept
    private EnergyCounts _energySaving;       // publisher thread: what the next save writes

    // Under the gate: the counters file. The reader asks for a save (it wakes the publisher) once a minute while power counts.
    private bool _energySaveAsked;
    private long _energySavedAt = Stopwatch.GetTimestamp();
    private long _energySavedChanges;

    // Under the gate.
    private bool _dirty;
    private bool _publishInline;  // the publisher thread sleeps with the meter registered and fresh: readers publish
    private bool _wakesForSignal; // ... and its sleep ends by the time the next signal may go
    private bool _readerWaits;    // a reader sits out (until _readerUntil) and then publishes or reads on
    private long _readerUntil;
    private long _lastSignal;

    // Publisher thread.
    private bool _registered;
    private Staleness _staleness;
    private long _lastWaitingLog;
    private MeterHealth _health;
    private BridgeStatus? _shownStatus;
    private long _statusDue = long.MaxValue; // a state change held back by the status's one-a-second rule

    /// <param name="wake">Wakes the publisher thread; <paramref name="setup"/> sets it too.</param>
    /// <param name="status">Where the status on the broker is told what changed; null: status_topic is empty.</param>
    public HotLoop(Settings settings, Log log, BusItemService service, ItemTable table, SettingsSync setup, AutoResetEvent wake, CancellationToken stop,
        IStatusSink? status = null)
    {
        _status = status;
        _settings = settings;
        _log = log;
        _problems = new RepeatFilter(log, TimeSpan.FromSeconds(60));
        _service = service;
        _table = table;
        var energy = settings.EnergyFromPower == EnergyFromPower.Off ? null : new EnergyIntegrator(settings.EnergyFromPower, settings.Timeout, Frequency);
        _meter = new Meter(settings.Limits, Sources.MappedDecoder.For(settings.Source), energy);
        if (energy is not null) _energyFile = RestoreEnergy(energy, settings.EnergyFile, settings.DeviceInstance, log);
        _stale = new StaleTimer(settings.Timeout, Frequency);
        _setup = setup;
        _wake = wake;
        _stop = stop;
        _waitHandles = [wake, stop.WaitHandle];
        _interval = Math.Max(settings.UpdateInterval * Frequency / 1000, ShortestInterval);
        _lastWaitingLog = Stopwatch.GetTimestamp();
    }

    /// <summary>Reader thread: decode and merge one payload. Allocation-free for a good payload.</summary>
    /// <param name="topic">The topic it came on (a mapped source reads it; the seed format does not).</param>
    public void OnPayload(string topic, ReadOnlySequence<byte> payload)
    {
        Verdict verdict;
        lock (_service.Gate)
        {
            long now = Stopwatch.GetTimestamp();
            // Meter.Apply checks the size too; checking here first spares copying a huge fragmented payload.
            verdict = payload.Length > _settings.MaxPayloadSize
                ? new Verdict(RejectReason.TooLarge, Value: payload.Length)
                : _meter.Apply(topic, payload.IsSingleSegment ? payload.FirstSpan : Contiguous(payload), now);
            if (verdict.IsAccepted)
            {
                _stale.Accepted(now);
                _dirty = true;
                if (!EnergySaveDueLocked(now)) return;
                _energySaveAsked = true; // once a minute while power counts: the publisher writes the file, not this thread
            }
        }
        if (verdict.IsAccepted)
        {
            _wake.Set();
            return;
        }
        // A Shelly NotifyEvent, a Tasmota STATE on a wildcard: not an error, and no sign of life for the stale timer.
        if (verdict.Reason == RejectReason.NoMappedValue)
        {
            if (_log.Enabled(LogLevel.Debug)) _log.Debug($"ignored a message on {topic}: no mapped value");
            return;
        }
        // Counted per reason and key, not per text: the text quotes the value, which a hostile publisher varies at will.
        Rejected(verdict.Describe(_settings.Limits), $"{verdict.Reason} {verdict.Location} {verdict.Quantity}");
    }

    /// <summary>
    /// MQTT thread: a message far beyond max_payload_size was read past unstored (PacketReader, OversizedPublishFilter).
    /// Logged and summarised with the other too-large ones; its size counts topic and header too.
    /// </summary>
    public void OnOversized(long size)
    {
        Rejected($"message of {size} bytes is larger than max_payload_size = {_settings.MaxPayloadSize} (skipped unread)",
            $"{RejectReason.TooLarge} {Location.Total} {Quantity.Power}");
    }

    /// <summary>A rejection, logged (summarised per kind) and told to the status; wakes the publisher when either has news to write.</summary>
    private void Rejected(string reason, string kind)
    {
        bool news = _status?.Rejected(reason, kind) == true; // the publisher publishes it
        if (_problems.Report(LogLevel.Warning, "rejected a message: " + reason, Stopwatch.GetTimestamp(), kind) || news)
            _wake.Set(); // a new summary window, or a new kind for the status: the publisher's sleep must end to write it
    }

    /// <summary>
    /// Reader thread, when nothing more is waiting to be read: see <see cref="IPayloadSink.EndOfBatch"/>. The reader sits
    /// out until the next update may go, but never past <paramref name="readBy"/> (what the broker's queue can hold) nor
    /// near the stale deadline: messages that wait in the kernel must not make a meter that receives them look silent.
    /// </summary>
    public long EndOfBatch(long readBy)
    {
        bool wake;
        lock (_service.Gate)
        {
            bool flowing = _readerWaits; // it sat out: more messages are likely within the next interval
            _readerWaits = false;
            if (!_dirty) return 0;
            if (!_publishInline) wake = true; // the publisher registers, recovers, or is awake and publishes itself
            else
            {
                long now = Stopwatch.GetTimestamp();
                long next = _lastSignal + _interval;
                if (now >= next)
                {
                    PublishLocked();
                    if (!flowing || readBy == 0) return 0;
                    next = _lastSignal + _interval; // sit out one more interval rather than wake for its first message
                }
                long until = Math.Min(next, Math.Min(readBy, _stale.ReadBy()));
                if (until > now)
                {
                    _readerWaits = true;
                    _readerUntil = until;
                    return until;
                }
                wake = !_wakesForSignal;
            }
        }
        if (wake) _wake.Set();
        return 0;
    }

    /// <summary>
    /// Publisher thread: publishes changes and applies the staleness rules until stopped. False when the meter must exit
    /// (timeout_action = exit).
    /// </summary>
    public bool Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            ShowStatus();
            Sleep();
            if (_stop.IsCancellationRequested) break;
            long now = Stopwatch.GetTimestamp();
            _problems.Flush(now);
            _setup.LoadIfAsked();
            ApplySetupIfChanged();
            SaveEnergy(now, stopping: false);

            bool stale;
            lock (_service.Gate) stale = _stale.IsStale(now) && !_readerWaits; // a reader sitting out may hold messages

            if (!_meter.HasData || (!_registered && stale)) { LogWaiting(now); continue; }
            if (stale && _staleness == Staleness.Fresh && _registered)
            {
                if (!GoStale())
                {
                    SaveEnergy(Stopwatch.GetTimestamp(), stopping: true);
                    return false;
                }
                continue;
            }
            if (!stale && _staleness != Staleness.Fresh)
            {
                _log.Info("messages arrive again: the meter shows its values");
                _staleness = Staleness.Fresh;
                _health = MeterHealth.Fresh;
                lock (_service.Gate) _dirty = true;
            }
            if (!_registered)
            {
                // Waiting for the settings, whose link logs for itself: the "waiting for data" deadline moves on, or Sleep would not sleep.
                if (_setup.WaitsForSettings(now)) _lastWaitingLog = now;
                else Register();
            }
            else lock (_service.Gate) if (now - _lastSignal >= _interval) PublishLocked();
        }
        SaveEnergy(Stopwatch.GetTimestamp(), stopping: true);
        _problems.Flush(long.MaxValue);
        return true;
    }

    /// <summary>
    /// Starts the counters from power where the counters file left them, and says in one line where they are kept (or
    /// that they are not); a file that cannot be used is one warning each and is never taken for a smaller counter.
    /// </summary>
    private static EnergyCountersFile? RestoreEnergy(EnergyIntegrator energy, string? path, int deviceInstance, Log log)
    {
        if (string.IsNullOrEmpty(path))
        {
            log.Info(path is null
                ? "energy counted from power is not kept across restarts: there is no config file to keep it beside (energy_file names a file)"
                : "energy counted from power is not kept across restarts (energy_file is empty)");
            return null;
        }
        var file = new EnergyCountersFile(path, deviceInstance);
        var loaded = file.Load();
        foreach (string warning in loaded.Warnings) log.Warning(warning);
        if (loaded.OtherMeter is { } other)
        {
            log.Warning($"the energy counters file {path} is the meter with device_instance {other}'s: energy counted from power is not kept (give each meter its own energy_file)");
            return null;
        }
        energy.Restore(loaded.Counts);
        log.Info(loaded.Found
            ? $"energy counted from power continues from {path}: {Describe(loaded.Counts)}"
            : $"energy counted from power starts at 0 and is kept in {path}");
        return file;
    }

    private static string Describe(in EnergyCounts counts)
    {
        var parts = new List<string>();
        for (var location = Location.Total; location <= Location.L3; location++)
            if (!double.IsNaN(counts.Forward(location)) || !double.IsNaN(counts.Reverse(location)))
                parts.Add(FormattableString.Invariant($"{(location == Location.Total ? "total" : location.ToString())} {counts.Forward(location):0.###} kWh forward, {counts.Reverse(location):0.###} kWh reverse"));
        return string.Join("; ", parts);
    }

    /// <summary>Under the gate: the counters grew since the last save, a minute or more ago, and no save is asked yet.</summary>
    private bool EnergySaveDueLocked(long now) =>
        _energyFile is not null && !_energySaveAsked && now - _energySavedAt >= EnergySaveInterval && _meter.State.Energy!.Changes != _energySavedChanges;

    /// <summary>
    /// Publisher thread: writes the counters file when they grew and a minute has passed since the last write, or when
    /// stopping. Never on a timer of its own: it runs when the publisher is awake anyway, and a reader wakes it once a
    /// minute while power counts (an idle meter counts nothing, so has nothing to write).
    /// </summary>
    private void SaveEnergy(long now, bool stopping)
    {
        if (_energyFile is null) return;
        long changes;
        lock (_service.Gate)
        {
            _energySaveAsked = false;
            changes = _meter.State.Energy!.Changes;
            if (changes == _energySavedChanges || (!stopping && now - _energySavedAt < EnergySaveInterval)) return;
            _meter.State.Energy.CopyTo(ref _energySaving);
            _energySavedAt = now; // a disk that refuses is tried again in a minute, not at every message
        }
        try
        {
            _energyFile.Save(_energySaving);
            lock (_service.Gate) _energySavedChanges = changes;
            if (_log.Enabled(LogLevel.Debug)) _log.Debug($"energy counters written to {_energyFile.FileName}");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _problems.Report(LogLevel.Warning, $"cannot write the energy counters file {_energyFile.FileName} ({error.Message}): tried again in a minute", now, "energy file");
        }
    }

    private void Publish()
    {
        lock (_service.Gate) PublishLocked();
    }

    /// <summary>Under the gate: the meter's state into the table, then one signal with what changed.</summary>
    private void PublishLocked()
    {
        if (!_dirty) return;
        _dirty = false;
        _items.Update(_table, _meter.State, _staleness);
        if (_table.Changed.Length == 0) return;
        _table.Set(MeterPaths.UpdateIndex, BusValue.Of((_table[MeterPaths.UpdateIndex].AsInt32 + 1) % 256));
        _service.PublishChanges(); // takes the gate again: Lock is reentrant
        _lastSignal = Stopwatch.GetTimestamp();
    }

    /// <summary>Builds the whole table, then takes the name: clients scan a service the moment it appears.</summary>
    private void Register()
    {
        lock (_service.Gate)
        {
            Identity.Fill(_table, _settings, _setup.Shown);
            _items.Update(_table, _meter.State, _staleness);
            _table.DropWithdrawn(); // readers scan the new registration: paths without a value need not be in it
            _table.AcceptChanges();
            _dirty = false;
        }
        _service.RegisterAsync().GetAwaiter().GetResult();
        _registered = true;
        _health = _staleness == Staleness.Fresh ? MeterHealth.Fresh : MeterHealth.Stale;
        _log.Info($"registered {_service.ServiceName} on D-Bus");
    }

    /// <summary>Applies timeout_action; false means the process must exit.</summary>
    private bool GoStale()
    {
        string silence = $"no message accepted for {_settings.Timeout:0.###} s";
        _health = MeterHealth.Stale;
        switch (_settings.TimeoutAction)
        {
            case TimeoutAction.Exit:
                _log.Error($"{silence}: exiting (timeout_action = exit)");
                return false;
            case TimeoutAction.Remove:
                _service.UnregisterAsync().GetAwaiter().GetResult();
                _registered = false;
                _log.Warning($"{silence}: {_service.ServiceName} left D-Bus until the next message");
                return true;
            default:
                _staleness = _settings.TimeoutAction == TimeoutAction.Zero ? Staleness.Zeroed : Staleness.Invalidated;
                _log.Warning($"{silence}: the meter shows {(_staleness == Staleness.Zeroed ? "zero power and current" : "invalid values")}");
                lock (_service.Gate) _dirty = true;
                Publish();
                return true;
        }
    }

    /// <summary>
    /// Publisher thread, before each sleep: shows the status what the meter shows now, a new instance only when that
    /// changed (compared field by field: nothing is allocated while nothing changes).
    /// </summary>
    private void ShowStatus()
    {
        if (_status is null) return;
        var shown = _setup.Shown;
        string role = RoleNames.Of(shown.Role), service = _service.ServiceName;
        if (_shownStatus is not { } last || last.State != _health || last.Service != service || last.Role != role || last.DeviceInstance != shown.Instance)
            _shownStatus = new BridgeStatus(_health, service, role, shown.Instance);
        _statusDue = _status.Show(_shownStatus, Stopwatch.GetTimestamp());
    }

    private void LogWaiting(long now)
    {
        if (now - _lastWaitingLog < WaitingLogInterval.TotalSeconds * Frequency) return;
        _lastWaitingLog = now;
        _log.Warning($"waiting for data on {_settings.Topic}: not on D-Bus until a message is accepted");
    }

    /// <summary>
    /// Sleeps until woken (a message the publisher must act on, a setting, a new problem to summarise) or the next
    /// deadline: an update no reader will send, staleness, a log summary, the next "waiting for data" line.
    /// No deadline, no wake-up: an idle bridge sleeps.
    /// </summary>
    private void Sleep()
    {
        long now = Stopwatch.GetTimestamp();
        long due = Math.Min(_problems.NextSummaryDue(), _statusDue);
        lock (_service.Gate)
        {
            if (_staleness == Staleness.Fresh && _stale.TicksLeft(now) is >= 0 and var left)
                due = Math.Min(due, _readerWaits ? Math.Max(now + left, Math.Max(_readerUntil, now + Frequency / 1000)) : now + left);
            if (!_meter.HasData || !_registered) due = Math.Min(due, _lastWaitingLog + (long)(WaitingLogInterval.TotalSeconds * Frequency));
            if (!_registered) due = Math.Min(due, _setup.WaitEnds(now));
            long nextSignal = _lastSignal + _interval;
            if (_registered && _dirty && !_readerWaits) due = Math.Min(due, nextSignal);
            _publishInline = _registered && _staleness == Staleness.Fresh;
            _wakesForSignal = due <= nextSignal;
        }
        WaitHandle.WaitAny(_waitHandles, Deadline.MillisecondsFrom(now, due));
        lock (_service.Gate) _publishInline = false;
    }

    /// <summary>Publisher thread: shows what the settings sync asks (a new role means a new registration), then saves it.</summary>
    private void ApplySetupIfChanged()
    {
        if (_setup.TakeChange() is not { } change) return;
        var (shown, wanted) = (change.Shown, change.Wanted);
        if (wanted.Role != shown.Role) ChangeRole(wanted);
        else if (change.Asked)
        {
            lock (_service.Gate)
            {
                Identity.Fill(_table, _settings, wanted);
                _dirty = true;
            }
            if (_registered) Publish();
            if (wanted.Instance != shown.Instance || wanted.CustomName != shown.CustomName)
                _log.Info($"the meter is now {wanted.Describe()}");
        }
        _setup.Save(wanted);
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
        _service.ServiceName = _settings.ServiceNameFor(wanted.Role);
        _log.Info($"role changed to {RoleNames.Of(wanted.Role)}: the meter is now {_service.ServiceName}");
        if (wasRegistered) Register();
    }

    private ReadOnlySpan<byte> Contiguous(ReadOnlySequence<byte> payload)
    {
        if (_copy.Length < payload.Length) _copy = new byte[payload.Length];
        payload.CopyTo(_copy);
        return _copy.AsSpan(0, (int)payload.Length);
    }
}
