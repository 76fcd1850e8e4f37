using System.Text.Json;
using MeterBridge.Config;

namespace MeterBridge.GxApp;

/// <summary>
/// One meter of the app as the app knows it: its process, the app.ini it runs on, the last good settings, and what it
/// last said (its <c>@state</c> lines, its broker lines, its last warning), shown as <c>/Meters/N/State</c>, <c>Reason</c>
/// and <c>Service</c>. Touched only on the app's loop.
/// </summary>
internal sealed class MeterSlot(int meter)
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    public int Meter { get; } = meter;
    public MeterChild? Child { get; set; }
    /// <summary>The app.ini text the child runs on (the last good one); null before the first.</summary>
    public string? Ini { get; set; }
    /// <summary>The settings of <see cref="Ini"/>, as the meter loads them (for detect: its broker).</summary>
    public Settings? Settings { get; set; }
    /// <summary>Why the newest settings were refused; null when they run.</summary>
    public string? SettingsProblem { get; set; }
    public TimeSpan Retry { get; set; } = FirstRetry;
    /// <summary>Counts the child's starts, so a restart due for an older one is dropped.</summary>
    public int Generation { get; set; }

    // What the child said, reset at each start.
    private string _state = "waiting";
    private string _service = "";
    private string? _rejected;
    private bool _rejectedNow;
    private string? _broker;
    private string? _lastProblem;
    private int? _exitCode;

    public void Started()
    {
        Generation++;
        (_state, _service, _rejected, _rejectedNow, _broker, _lastProblem, _exitCode) = ("waiting", "", null, false, null, null, null);
    }

    public void Exited(int code) => _exitCode = code;

    /// <summary>An <c>@state</c> line's JSON (<c>StatusJson.State</c>): state, service, last_rejected.</summary>
    public void OnState(string json)
    {
        string state = _state, service = _service;
        string? rejected = null;
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                string name = reader.GetString() ?? "";
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) continue;
                switch (name)
                {
                    case "state": state = reader.GetString() ?? state; break;
                    case "service": service = reader.GetString() ?? ""; break;
                    case "last_rejected": rejected = reader.GetString(); break;
                }
            }
        }
        catch (JsonException) { return; } // not ours: a meter prints nothing else there that starts so
        // "rejected": messages come and are refused while none is accepted (waiting, or stale); a new state starts clean.
        _rejectedNow = state == _state ? _rejectedNow || (rejected is not null && rejected != _rejected) : false;
        (_state, _service, _rejected) = (state, service, rejected);
    }

    /// <summary>A warning or error line of the child's log, or its "connected to" line: the broker's state in run's words.</summary>
    public void OnLogLine(string line)
    {
        string text = line[(line.IndexOf(' ') + 1)..];
        if (line.StartsWith("INFO connected to ", StringComparison.Ordinal)) _broker = null;
        else if (text.StartsWith("cannot connect to ", StringComparison.Ordinal) || text.StartsWith("lost the broker ", StringComparison.Ordinal)) _broker = text;
        else if (line.StartsWith("WARNING ", StringComparison.Ordinal) || line.StartsWith("ERROR ", StringComparison.Ordinal)) _lastProblem = text;
    }

    /// <summary>What <c>/Meters/N/*</c> show now.</summary>
    public (string State, string Reason, string Service) Shown()
    {
        bool running = Child is not null;
        bool removedWhenStale = Settings?.TimeoutAction == TimeoutAction.Remove;
        string service = running && (_state == "fresh" || (_state == "stale" && !removedWhenStale)) ? _service : "";
        if (SettingsProblem is { } problem) return ("settings", problem, service);
        if (!running)
            return ("stopped", _exitCode is { } code ? $"exited with code {code}" + (_lastProblem is { } why ? ": " + why : "") : _lastProblem ?? "", "");
        if (_broker is { } broker) return ("broker", broker, service);
        if (_rejectedNow && _state != "fresh") return ("rejected", _rejected ?? "", service);
        return (_state, _state == "fresh" ? "" : _lastProblem ?? "", service);
    }
}
