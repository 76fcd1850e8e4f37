using MeterBridge.Logging;
using MeterBridge.Config;
using Xunit;

namespace MeterBridge.Tests.Logging;

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
    public void Problems_of_one_kind_with_different_values_are_one_line_and_one_summary()
    {
        var output = new StringWriter();
        var filter = new RepeatFilter(new Log(LogLevel.Info, output), TimeSpan.FromSeconds(60));
        for (int i = 0; i < 500; i++)
            filter.Report(LogLevel.Warning, $"grid.power = {100_000 + i} W is outside ±69000 W", i * Second / 10, kind: "PowerOutOfRange Total");
        filter.Report(LogLevel.Warning, "grid.L1.power = 30000 W is outside ±23000 W", 51 * Second, kind: "PowerOutOfRange L1");
        filter.Flush(long.MaxValue);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["WARNING grid.power = 100000 W is outside ±69000 W", "WARNING grid.L1.power = 30000 W is outside ±23000 W",
            "WARNING grid.power = 100000 W is outside ±69000 W (and 499 more like it in the last 60 s)"], lines);
    }

    [Fact]
    public void More_kinds_than_it_remembers_are_summarised_not_lost()
    {
        var output = new StringWriter();
        var filter = new RepeatFilter(new Log(LogLevel.Info, output), TimeSpan.FromSeconds(60));
        for (int round = 0; round < 2; round++)
            for (int kind = 0; kind < 200; kind++) filter.Report(LogLevel.Warning, $"problem {kind}", round * 200 + kind);
        filter.Flush(long.MaxValue);
        string text = output.ToString();
        for (int kind = 0; kind < 200; kind++) Assert.Contains($"problem {kind}\n", text);
        Assert.True(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 600);
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
