namespace MeterBridge.Logging;

/// <summary>The <c>logging</c> key: lines below this level are not written.</summary>
internal enum LogLevel : byte
{
    Debug,
    Info,
    Warning,
    Error,
}

/// <summary>The <c>logging</c> key's words, as Python's logging names them: also each log line's label.</summary>
internal static class LogLevelText
{
    private static readonly string[] Names = ["DEBUG", "INFO", "WARNING", "ERROR"];

    public static string Of(LogLevel level) => Names[(int)level];

    public static bool TryParse(string text, out LogLevel level)
    {
        int index = Array.IndexOf(Names, text.Trim().ToUpperInvariant());
        level = index < 0 ? LogLevel.Info : (LogLevel)index;
        return index >= 0;
    }
}
