using System.Diagnostics;
using MeterBridge.Detect;

namespace MeterBridge.GxApp;

/// <summary>
/// The control service's detect (<c>/Detect/*</c>): one listen at a time on a meter's broker with its settings, filter
/// <c>#</c>, for a fixed time or until stopped, publishing nothing (<see cref="DetectSession"/>); the found meters kept
/// for <c>/Detect/Apply</c>. Driven from the app's loop; the listen itself runs on its own task and posts its ticks and
/// its end to the loop.
/// </summary>
internal sealed class DetectRun
{
    public const string Filter = "#";

    /// <summary>What <c>/Detect/*</c> show.</summary>
    internal sealed class Shown(string state, int meter, int secondsLeft, string error, string result, int results)
    {
        public string State { get; } = state;
        public int Meter { get; } = meter;
        public int SecondsLeft { get; } = secondsLeft;
        public string Error { get; } = error;
        public string Result { get; } = result;
        public int Results { get; } = results;
    }

    /// <summary>What <c>/Detect/Apply</c> writes into the meter's settings.</summary>
    internal sealed class Choice(string format, string topic, int channel, string mapping)
    {
        public string Format { get; } = format;
        public string Topic { get; } = topic;
        public int Channel { get; } = channel;
        public string Mapping { get; } = mapping;
    }

    // Shown, Choice and the loop's events are classes, not records: never compared or printed (a record's members cost bytes).
    internal sealed class Tick(int session, int secondsLeft) { public int Session { get; } = session; public int SecondsLeft { get; } = secondsLeft; }

    internal sealed class Done(int session, DetectSession.Outcome? outcome, string? failure)
    {
        public int Session { get; } = session;
        public DetectSession.Outcome? Outcome { get; } = outcome;
        public string? Failure { get; } = failure;
    }

    private int _session;
    private CancellationTokenSource? _stop;
    private IReadOnlyList<FoundMeter> _found = [];

    /// <summary>The meter the last detect was for; -1 before the first.</summary>
    public int Meter { get; private set; } = -1;

    public bool IsCurrent(int session) => session == _session && _stop is not null;

    /// <param name="settings">The meter's last good settings (its broker); null when it has none yet.</param>
    public Shown Start(int meter, Config.Settings? settings, string? problem, int seconds, Action<object> post)
    {
        Cancel();
        int session = ++_session;
        Meter = meter;
        _found = [];
        if (settings is null)
            return new Shown("failed", meter, 0, $"meter {meter} has no settings that work yet" + (problem is null ? "" : ": " + problem), "[]", 0);
        var stop = _stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        int lastShown = seconds;
        _ = Task.Run(async () =>
        {
            try
            {
                var outcome = await DetectSession.RunAsync(settings, Filter, TimeSpan.FromSeconds(seconds), _ =>
                {
                    int left = Math.Max(0, seconds - (int)Math.Round(clock.Elapsed.TotalSeconds));
                    if (left != lastShown) post(new Tick(session, lastShown = left));
                }, stop.Token);
                post(new Done(session, outcome, null));
            }
            catch (Exception error)
            {
                post(new Done(session, null, error.Message));
            }
        });
        return new Shown("listening", meter, seconds, "", "[]", 0);
    }

    /// <summary>Stops the listen now; what it found so far is its result.</summary>
    public void Cancel() => _stop?.Cancel();

    /// <summary>The end of a listen: what to show, or null for an older one.</summary>
    public Shown? Finish(Done done)
    {
        if (done.Session != _session) return null;
        _stop?.Dispose();
        _stop = null;
        if (done.Outcome is not { } outcome) return new Shown("failed", Meter, 0, done.Failure ?? "", "[]", 0);
        _found = outcome.Meters;
        string result = DetectJson.Of(outcome.Meters);
        return outcome.Problem is { } problem && outcome.Meters.Count == 0
            ? new Shown("failed", Meter, 0, problem, result, 0)
            : new Shown("done", Meter, 0, "", result, outcome.Meters.Count);
    }

    /// <summary>Result <paramref name="k"/> as settings; null when there is none.</summary>
    public Choice? Chosen(int k)
    {
        if (k < 0 || k >= _found.Count) return null;
        Candidate candidate = _found[k].Candidate;
        var lines = new List<string>();
        foreach (var (key, rule) in candidate.Mapping)
            foreach (string one in AppIni.MappingLines(rule)) lines.Add($"{key} = {one}");
        string mapping = string.Join("\n", lines);
        return new Choice(candidate.Format, candidate.Topic, candidate.Channel, mapping);
    }
}
