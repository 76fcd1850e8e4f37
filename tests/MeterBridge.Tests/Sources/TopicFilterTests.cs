using MeterBridge.Sources;
using Xunit;

namespace MeterBridge.Tests.Sources;

/// <summary>MQTT topic filters: which texts are filters, and which topics a filter matches.</summary>
public class TopicFilterTests
{
    [Theory]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/+/c", "a//c", true)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("#", "$SYS/x", false)]
    [InlineData("+/x", "$SYS/x", false)]
    [InlineData("a/b", "a/bc", false)]
    [InlineData("a/b/c", "a/b", false)]
    public void Topic_filters_match_as_MQTT_says(string filter, string topic, bool matches) =>
        Assert.Equal(matches, TopicFilter.Matches(filter, topic));

    [Theory]
    [InlineData("a/b")]
    [InlineData("+/b/#")]
    [InlineData("#")]
    [InlineData("a//b")]
    public void A_valid_filter_has_no_problem(string filter) => Assert.Null(TopicFilter.Problem(filter));

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("a/#/b", "'#' must be a whole level and the last one")]
    [InlineData("a/b#", "'#' must be a whole level and the last one")]
    [InlineData("a/b+", "'+' must be a whole level")]
    [InlineData("a\0b", "NUL")]
    public void An_invalid_filter_says_why(string filter, string why) => Assert.Contains(why, TopicFilter.Problem(filter));
}
