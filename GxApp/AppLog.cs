namespace MeterBridge.GxApp;

/// <summary>
/// The app's log on standard output: its own lines (<c>INFO …</c>, like a meter's) and its meters' lines, each prefixed
/// <c>meter N: </c>. Every line is one write of a synchronized writer, so lines from the meters' reader threads never mix.
/// </summary>
internal sealed class AppLog(TextWriter output)
{
    public void Info(string message) => output.WriteLine("INFO " + message);

    public void Warning(string message) => output.WriteLine("WARNING " + message);

    public void Error(string message) => output.WriteLine("ERROR " + message);

    /// <summary>A line of meter <paramref name="meter"/>'s own log.</summary>
    public void Forward(int meter, string line) => output.WriteLine($"meter {meter}: {line}");
}
