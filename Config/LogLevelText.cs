namespace MeterBridge.Config;

/// <summary>The <c>logging</c> key's words, as Python's logging names them.</summary>
public static class LogLevelText
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
