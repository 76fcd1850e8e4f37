using System.Text;
using MeterBridge.Core;
using MeterBridge.Storage;
using Xunit;

namespace MeterBridge.Tests.Storage;

/// <summary>The counters file's text: what is written reads back exactly, and anything else is refused whole.</summary>
public sealed class EnergyCountersFileFormatTests
{
    private static EnergyCounts Sample()
    {
        var counts = EnergyCounts.Empty();
        counts[Location.Total, false] = 12345.678901234567;
        counts[Location.Total, true] = 0.1;
        counts[Location.L2, false] = 0;
        counts[Location.L2, true] = 1e9;
        return counts;
    }

    [Fact]
    public void Written_counters_read_back_exactly_and_absent_ones_stay_absent()
    {
        var counts = Sample();
        byte[] text = EnergyCountersFileFormat.Format(counts, 7);
        Assert.Null(EnergyCountersFileFormat.TryParse(text, out var read, out int deviceInstance));
        Assert.Equal(7, deviceInstance);
        for (int i = 0; i < EnergyCounts.Size; i++)
            Assert.Equal(counts[i], read[i]);
        Assert.DoesNotContain("L1", Encoding.UTF8.GetString(text));
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{\"version\":1,\"total\":{\"forward\":12", "not valid JSON")]
    [InlineData("\0\0\0\0\0\0", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"total\":{\"forward\":1}}", "no version 1")]
    [InlineData("{\"version\":2,\"total\":{\"forward\":1}}", "no version 1")]
    [InlineData("{\"version\":1,\"total\":{\"forward\":-1}}", "not a number of kWh")]
    [InlineData("{\"version\":1,\"total\":{\"forward\":1e300}}", "not a number of kWh")]
    [InlineData("{\"version\":1,\"total\":{\"forward\":1e400}}", "not a number of kWh")]
    [InlineData("{\"version\":1,\"total\":{\"forward\":\"NaN\"}}", "not a number of kWh")]
    [InlineData("{\"version\":1,\"total\":{\"forward\":NaN}}", "not valid JSON")]
    [InlineData("{\"version\":1,\"total\":{\"forward\":null}}", "not a number of kWh")]
    [InlineData("{\"version\":1,\"L1\":5}", "not an object")]
    [InlineData("{\"version\":1,\"device_instance\":-3}", "device_instance")]
    [InlineData("{\"version\":1,\"device_instance\":\"7\"}", "device_instance")]
    [InlineData("{\"version\":1}{\"version\":1}", "not valid JSON")]
    public void A_torn_or_corrupt_file_is_refused_whole(string text, string problem)
    {
        string? found = EnergyCountersFileFormat.TryParse(Encoding.UTF8.GetBytes(text), out var counts, out _);
        Assert.NotNull(found);
        Assert.Contains(problem, found);
        for (int i = 0; i < EnergyCounts.Size; i++) Assert.True(double.IsNaN(counts[i]));
    }

    [Fact]
    public void Keys_of_a_later_version_inside_a_location_or_beside_are_skipped()
    {
        Assert.Null(EnergyCountersFileFormat.TryParse("{\"version\":1,\"written\":\"x\",\"total\":{\"forward\":3,\"note\":[1]},\"L4\":{}}"u8, out var counts, out int deviceInstance));
        Assert.Equal(EnergyCountersFileFormat.AnyMeter, deviceInstance);
        Assert.Equal(3, counts.Forward(Location.Total));
        Assert.True(double.IsNaN(counts.Reverse(Location.Total)));
    }
}
