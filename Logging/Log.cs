
namespace MeterBridge.Logging;

/// <summary>
/// One line per event on standard output, <c>LEVEL message</c>; daemontools' multilog adds the time.
/// Lines below the configured level are dropped. Thread-safe: MQTT, D-Bus and the publisher all log.
/// </summary>
internal sealed class Log(LogLevel minimum, TextWriter output)
{
    private readonly Lock _gate = new();

    public bool Enabled(LogLevel level) => level >= minimum;

    public void Debug(string message) => Write(LogLevel.Debug, message);
    public void Info(string message) => Write(LogLevel.Info, message);
    public void Warning(string message) => Write(LogLevel.Warning, message);
    public void Error(string message) => Write(LogLevel.Error, message);

    public void Write(LogLevel level, string message)
    {
        if (!Enabled(level)) return;
        lock (_gate)
        {
            output.Write(LogLevelText.Of(level));
            output.Write(' ');
            output.WriteLine(message);
            output.Flush();
        }
    }
}
