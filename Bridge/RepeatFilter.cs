using MeterBridge.Config;

namespace MeterBridge.Bridge;

/// <summary>
/// Keeps a repeated identical problem from flooding the log: the first occurrence is written at once, the
/// repeats within the window are counted and summarised as one line ("… repeated 57 times in the last 60 s").
/// A publisher sending bad JSON ten times a second thus costs six lines a minute at most... per distinct problem.
/// </summary>
public sealed class RepeatFilter(Log log, TimeSpan window)
{
    private sealed class Entry
    {
        public long WindowStart;
        public int Repeats;
        public LogLevel Level;
    }

    /// <summary>Distinct problems remembered at most; beyond it the oldest are summarised and forgotten.</summary>
    private const int MaxEntries = 64;

    private readonly Dictionary<string, Entry> _entries = [];
    private readonly Lock _gate = new();
    private readonly long _windowTicks = (long)(window.TotalSeconds * TimeProvider.System.TimestampFrequency);

    /// <summary>Writes or counts one occurrence. True when it was written: a new window, see <see cref="NextSummaryDue"/>.</summary>
    public bool Report(LogLevel level, string message, long now)
    {
        if (!log.Enabled(level)) return false;
        lock (_gate)
        {
            if (_entries.TryGetValue(message, out var entry) && now - entry.WindowStart < _windowTicks)
            {
                entry.Repeats++;
                return false;
            }
            if (entry != null) Summarise(message, entry);
            else if (_entries.Count >= MaxEntries) Flush(long.MaxValue);
            _entries[message] = new Entry { WindowStart = now, Level = level };
        }
        log.Write(level, message);
        return true;
    }

    /// <summary>When the earliest window ends (the next <see cref="Flush"/> with work to do), or long.MaxValue.</summary>
    public long NextSummaryDue()
    {
        lock (_gate)
        {
            long due = long.MaxValue;
            foreach (var entry in _entries.Values) due = Math.Min(due, entry.WindowStart + _windowTicks);
            return due;
        }
    }

    /// <summary>Writes the summaries of windows that have ended; called periodically and at shutdown.</summary>
    public void Flush(long now)
    {
        lock (_gate)
        {
            List<string>? ended = null;
            foreach (var (message, entry) in _entries)
                if (now - entry.WindowStart >= _windowTicks)
                    (ended ??= []).Add(message);
            if (ended == null) return;
            foreach (var message in ended)
            {
                Summarise(message, _entries[message]);
                _entries.Remove(message);
            }
        }
    }

    private void Summarise(string message, Entry entry)
    {
        if (entry.Repeats > 0)
            log.Write(entry.Level, $"{message} (repeated {entry.Repeats} times in the last {window.TotalSeconds:0} s)");
    }
}
