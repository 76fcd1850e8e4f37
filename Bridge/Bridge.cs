using System.Buffers;
using System.Diagnostics;
using MeterBridge.Config;
using MeterBridge.DBus;
using MeterBridge.Items;
using MeterBridge.Meter;

namespace MeterBridge.Bridge;

/// <summary>
/// The hot loop. MQTT thread: payload → decode → merge (<see cref="OnPayload"/>). Publisher thread:
/// merged state → changed D-Bus values → one ItemsChanged (<see cref="Run"/>). Messages that arrive while a
/// signal is being sent are merged all the same and go out together in the next one: the newest state wins,
/// nothing queues, and a Tasmota meter's one-value messages are never lost to coalescing.
/// <para>
/// While the publisher thread sleeps with the meter on the bus and fresh, the MQTT thread sends the signal itself:
/// waking another thread costs far more CPU than the message (README, Performance). Registration, staleness, role
/// and settings stay on the publisher thread; every signal is sent under the gate, so sends never overlap.
/// </para>
/// </summary>
public sealed partial class Bridge
{
    private static readonly long Frequency = Stopwatch.Frequency;
    /// <summary>
    /// At most 2 000 signals a second. Tmds queues what the bus cannot take yet, without bound: a flood of messages,
    /// each sent at once, ran the heap out. Closer messages are merged and go out together at the end of the interval.
    /// </summary>
    private static readonly long SignalInterval = Frequency / 2000;
    private static readonly TimeSpan WaitingLogInterval = TimeSpan.FromMinutes(1);

    private readonly Settings _settings;
    private readonly Log _log;
    private readonly RepeatFilter _problems;
    private readonly BusItemService _service;
    private readonly ItemTable _table;
    private readonly Meter.Meter _meter;
    private readonly MeterItems _items = new();
    private readonly StaleTimer _stale;
    private readonly AutoResetEvent _wake = new(false);
    private readonly WaitHandle[] _waitHandles;
    private readonly CancellationToken _stop;
    private byte[] _copy = [];

    private bool _dirty;
    private bool _publishInline; // under the gate: the publisher thread sleeps, registered and fresh
    private long _lastSignal;    // under the gate
    private bool _registered;
    private Staleness _staleness;
    private long _lastWaitingLog;

    /// <param name="localSettings">The GX's settings service client; null when the bus has none to offer.</param>
    public Bridge(Settings settings, Log log, BusItemService service, ItemTable table, LocalSettings? localSettings, CancellationToken stop)
    {
        _settings = settings;
        _log = log;
        _problems = new RepeatFilter(log, TimeSpan.FromSeconds(60));
        _service = service;
        _table = table;
        _meter = new Meter.Meter(settings.Limits);
        _stale = new StaleTimer(settings.Timeout, Frequency);
        _stop = stop;
        _waitHandles = [_wake, stop.WaitHandle];
        _lastWaitingLog = Stopwatch.GetTimestamp();
        _localSettings = localSettings;
        _deviceSettings = new DeviceSettings(settings.DeviceInstance);
        _setup = DeviceSetup.FromConfig(settings);
    }

    /// <summary>MQTT thread: decode and merge one payload. Allocation-free for a good payload.</summary>
    /// <param name="topic">The topic it came on (a mapped source reads it; the seed format does not).</param>
    public void OnPayload(string topic, ReadOnlySequence<byte> payload)
    {
        Verdict verdict;
        lock (_service.Gate)
        {
            // Meter.Apply checks the size too; checking here first spares copying a huge fragmented payload.
            verdict = payload.Length > _settings.MaxPayloadSize
                ? new Verdict(RejectReason.TooLarge, Value: payload.Length)
                : _meter.Apply(payload.IsSingleSegment ? payload.FirstSpan : Contiguous(payload));
            if (verdict.IsAccepted)
            {
                long now = Stopwatch.GetTimestamp();
                _stale.Accepted(now);
                _dirty = true;
                if (_publishInline && now - _lastSignal >= SignalInterval)
                {
                    PublishLocked();
                    return;
                }
            }
        }
        if (verdict.IsAccepted) _wake.Set();
        // Counted per reason and key, not per text: the text quotes the value, which a hostile publisher varies at will.
        else if (_problems.Report(LogLevel.Warning, "rejected a message: " + verdict.Describe(_settings.Limits), Stopwatch.GetTimestamp(),
                     kind: $"{verdict.Reason} {verdict.Location} {verdict.Quantity}"))
            _wake.Set(); // a new summary window: the publisher's sleep must end in time to write it
    }

    /// <summary>
    /// MQTT thread: a message far beyond max_payload_size was read past unstored (Mqtt/OversizedPublishFilter.cs).
    /// Logged and summarised with the other too-large ones; its size counts topic and header too.
    /// </summary>
    public void OnOversized(long size)
    {
        if (_problems.Report(LogLevel.Warning, $"rejected a message: message of {size} bytes is larger than max_payload_size = {_settings.MaxPayloadSize} (skipped unread)",
                Stopwatch.GetTimestamp(), kind: $"{RejectReason.TooLarge} {Location.Total} {Quantity.Power}"))
            _wake.Set();
    }

    /// <summary>Publisher thread: publishes changes and applies the staleness rules until stopped. Returns the exit code.</summary>
    public int Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            Sleep();
            if (_stop.IsCancellationRequested) break;
            long now = Stopwatch.GetTimestamp();
            _problems.Flush(now);
            LoadSettingsIfAsked();
            ApplySetupIfAsked();

            bool stale;
            lock (_service.Gate) stale = _stale.IsStale(now);

            if (!_meter.HasData || (!_registered && stale)) { LogWaiting(now); continue; }
            if (stale && _staleness == Staleness.Fresh && _registered)
            {
                if (!GoStale()) return 1;
                continue;
            }
            if (!stale && _staleness != Staleness.Fresh)
            {
                _log.Info("messages arrive again: the meter shows its values");
                _staleness = Staleness.Fresh;
                lock (_service.Gate) _dirty = true;
            }
            if (!_registered) Register();
            else
            {
                WaitForSignalInterval();
                Publish();
            }
        }
        _problems.Flush(long.MaxValue);
        return 0;
    }

    /// <summary>Right after a signal: a millisecond's pause, in which further messages merge into the next one.</summary>
    private void WaitForSignalInterval()
    {
        bool tooSoon;
        lock (_service.Gate) tooSoon = Stopwatch.GetTimestamp() - _lastSignal < SignalInterval;
        if (tooSoon) Thread.Sleep(1);
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
            Identity.Fill(_table, _settings, _setup);
            _items.Update(_table, _meter.State, _staleness);
            _table.AcceptChanges();
            _dirty = false;
        }
        _service.RegisterAsync().GetAwaiter().GetResult();
        _registered = true;
        _log.Info($"registered {_service.ServiceName} on D-Bus");
    }

    /// <summary>Applies timeout_action; false means the process must exit.</summary>
    private bool GoStale()
    {
        string silence = $"no message accepted for {_settings.Timeout:0.###} s";
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

    private void LogWaiting(long now)
    {
        if (now - _lastWaitingLog < WaitingLogInterval.TotalSeconds * Frequency) return;
        _lastWaitingLog = now;
        _log.Warning($"waiting for data on {_settings.Topic}: not on D-Bus until a message is accepted");
    }

    /// <summary>
    /// Sleeps until woken (a message to publish, a setting, a new problem to summarise) or the next deadline:
    /// staleness, a log summary, the next "waiting for data" line. No deadline, no wake-up: an idle bridge sleeps.
    /// </summary>
    private void Sleep()
    {
        long now = Stopwatch.GetTimestamp();
        long due = _problems.NextSummaryDue();
        lock (_service.Gate)
        {
            if (_staleness == Staleness.Fresh && _stale.TicksLeft(now) is >= 0 and var left) due = Math.Min(due, now + left);
            if (!_meter.HasData || !_registered) due = Math.Min(due, _lastWaitingLog + (long)(WaitingLogInterval.TotalSeconds * Frequency));
            _publishInline = _registered && _staleness == Staleness.Fresh;
        }
        WaitHandle.WaitAny(_waitHandles, due == long.MaxValue ? Timeout.Infinite : (int)Math.Clamp((due - now) * 1000 / Frequency + 1, 0, int.MaxValue));
        lock (_service.Gate) _publishInline = false;
    }

    private ReadOnlySpan<byte> Contiguous(ReadOnlySequence<byte> payload)
    {
        if (_copy.Length < payload.Length) _copy = new byte[payload.Length];
        payload.CopyTo(_copy);
        return _copy.AsSpan(0, (int)payload.Length);
    }
}
