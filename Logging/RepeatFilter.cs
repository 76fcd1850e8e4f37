
namespace MeterBridge.Logging;

/// <summary>
/// Keeps a repeated identical problem from flooding the log: the first occurrence is written at once, the
/// repeats within the window are counted and summarised as one line ("… repeated 57 times in the last 60 s").
/// A publisher sending bad JSON ten times a second thus costs six lines a minute at most... per distinct problem.
/// A problem that quotes a value (an out-of-range power, a payload size) is reported with a <c>kind</c> without the
/// value: otherwise a publisher sending random out-of-range numbers would get a line per message.
/// </summary>
internal sealed class RepeatFilter(Log log, TimeSpan window)
{
    private sealed class Entry
    {
        public long WindowStart;
        public int Repeats;
        public LogLevel Level;
        public string Message = "";
        public bool Varied;
    }

    /// <summary>
    /// Distinct problems remembered at most; beyond it all are summarised and forgotten. The bridge's kinds of
    /// rejection (reason × key) number about 60, so every one of them fits.
    /// </summary>
    private const int MaxEntries = 128;

    private readonly Dictionary<string, Entry> _entries = [];
    private readonly Lock _gate = new();
    private readonly long _windowTicks = (long)(window.TotalSeconds * TimeProvider.System.TimestampFrequency);

    /// <summary>
    /// Writes <paramref name="message"/>, or counts it when a problem of the same <paramref name="kind"/> (default: the
    /// same text) was written in this window. True when it was written: a new window, see <see cref="NextSummaryDue"/>.
    /// </summary>
    public bool Report(LogLevel level, string message, long now, string? kind = null)
    {
        if (!log.Enabled(level)) return false;
        kind ??= message;
        lock (_gate)
        {
            if (_entries.TryGetValue(kind, out var entry) && now - entry.WindowStart < _windowTicks)
            {
                entry.Repeats++;
                entry.Varied |= message != entry.Message;
                return false;
            }
            if (entry != null) Summarise(entry);
            else if (_entries.Count >= MaxEntries) Flush(long.MaxValue);
            _entries[kind] = new Entry { WindowStart = now, Level = level, Message = message };
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
            foreach (var (kind, entry) in _entries)
                if (now - entry.WindowStart >= _windowTicks)
                    (ended ??= []).Add(kind);
            if (ended == null) return;
            foreach (var kind in ended)
            {
                Summarise(_entries[kind]);
                _entries.Remove(kind);
            }
        }
    }

    private void Summarise(Entry entry)
    {
        if (entry.Repeats == 0) return;
        log.Write(entry.Level, entry.Varied
            ? $"{entry.Message} (and {entry.Repeats} more like it in the last {window.TotalSeconds:0} s)"
            : $"{entry.Message} (repeated {entry.Repeats} times in the last {window.TotalSeconds:0} s)");
    }
}
