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
internal sealed partial class MeterApp(string home, string? busAddress, string binary, AppLog log)
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

    // The loop's events: classes, not records (only matched, never compared or printed; a record's members cost bytes).
    private sealed class Presence(bool present) { public bool Present { get; } = present; }
    private sealed class Changed(string path, BusValue value) { public string Path { get; } = path; public BusValue Value { get; } = value; }
    private sealed class ChildOutput(int meter, MeterChild child, string line, bool state)
    {
        public int Meter { get; } = meter;
        public MeterChild Child { get; } = child;
        public string Line { get; } = line;
        public bool State { get; } = state;
    }
    private sealed class ChildExited(int meter, MeterChild child, int code)
    {
        public int Meter { get; } = meter;
        public MeterChild Child { get; } = child;
        public int Code { get; } = code;
    }
    private sealed class RestartDue(int meter, int generation) { public int Meter { get; } = meter; public int Generation { get; } = generation; }
    private sealed class BusLost(string why) { public string Why { get; } = why; }

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
}
