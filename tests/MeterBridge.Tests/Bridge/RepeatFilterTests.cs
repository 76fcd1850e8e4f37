using MeterBridge.Bridge;
using MeterBridge.Config;
using Xunit;

namespace MeterBridge.Tests.Bridge;

public class RepeatFilterTests
{
    private static readonly long Second = TimeProvider.System.TimestampFrequency;

    [Fact]
    public void A_flood_of_one_problem_becomes_one_line_and_one_summary()
    {
        var output = new StringWriter();
        var filter = new RepeatFilter(new Log(LogLevel.Info, output), TimeSpan.FromSeconds(60));
        for (int i = 0; i < 600; i++) filter.Report(LogLevel.Warning, "rejected a message: not valid JSON", i * Second / 10);
        filter.Flush(61 * Second);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["WARNING rejected a message: not valid JSON", "WARNING rejected a message: not valid JSON (repeated 599 times in the last 60 s)"], lines);
    }

    [Fact]
    public void Different_problems_are_each_written()
    {
        var output = new StringWriter();
        var filter = new RepeatFilter(new Log(LogLevel.Info, output), TimeSpan.FromSeconds(60));
        filter.Report(LogLevel.Warning, "a", 0);
        filter.Report(LogLevel.Warning, "b", 1);
        filter.Report(LogLevel.Warning, "a", 2);
        Assert.Equal("WARNING a\nWARNING b\n", output.ToString().Replace("\r", ""));
    }

    [Fact]
    public void Lines_below_the_level_are_dropped()
    {
        var output = new StringWriter();
        var log = new Log(LogLevel.Error, output);
        log.Warning("hidden");
        log.Error("shown");
        Assert.Equal("ERROR shown\n", output.ToString().Replace("\r", ""));
    }
}
