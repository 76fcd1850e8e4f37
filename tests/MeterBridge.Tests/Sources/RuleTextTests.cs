using MeterBridge.Core;
using MeterBridge.Sources;
using Xunit;

namespace MeterBridge.Tests.Sources;

/// <summary>One line of the mapping language: <c>TOPIC [POINTER] [* FACTOR]</c>, placeholders, and what is wrong with a bad one.</summary>
public class RuleTextTests
{
    [Theory]
    [InlineData("meters/house /import_wh * 0.001", "meters/house", "/import_wh", 0.001)]
    [InlineData("meters/house * -1", "meters/house", null, -1)]
    [InlineData("tele/sml/SENSOR //Power_curr", "tele/sml/SENSOR", "//Power_curr", 1)]
    [InlineData("{topic}/emeter/{channel}/power", "shellies/x y/emeter/2/power", null, 1)]
    [InlineData("home/a /my key/a*b * 2", "home/a", "/my key/a*b", 2)]
    [InlineData("t /p *2", "t", "/p", 2)]
    [InlineData("t /p * -0.001", "t", "/p", -0.001)]
    [InlineData("t /p * 3.6", "t", "/p", 3.6)]
    [InlineData("t /p * 1e-7", "t", "/p", 1e-7)]
    [InlineData("t /p\t*\t1e7", "t", "/p", 1e7)]
    public void A_rule_line_splits_into_topic_pointer_and_factor(string line, string topic, string? pointer, double factor)
    {
        var rule = RuleText.Parse(line, Location.Total, Quantity.Power, "shellies/x y", 2, out string? problem);
        Assert.True(rule is not null, problem);
        Assert.Equal(topic, rule.Topic);
        Assert.Equal(pointer, rule.Pointer?.Text);
        Assert.Equal(factor, rule.Factor);
    }

    [Theory]
    [InlineData("a/b ENERGY/Power", "does not start with /")]
    [InlineData("a/b /x~2", "~ not followed by 0 or 1")]
    [InlineData("a/b /x * abc", "factor \"abc\" that is not a finite number")]
    [InlineData("a/b /x * 1e999", "factor \"1e999\" that is not a finite number")]
    [InlineData("a/b /x * 0", "factor \"0\" that is zero")]
    [InlineData("a/b /x * -0", "factor \"-0\" that is zero")]
    [InlineData("a/b /x * 0e5", "factor \"0e5\" that is zero")]
    [InlineData("a/b /x * 1E+308", "factor \"1E+308\" whose size is outside 1e-7…1e7")]
    [InlineData("a/b /x * -2e7", "factor \"-2e7\" whose size is outside 1e-7…1e7")]
    [InlineData("a/b /x * 1e-9", "factor \"1e-9\" whose size is outside 1e-7…1e7")]
    [InlineData("a/b /r *", "ends in * with no factor after it")]
    [InlineData("a/b /r * ", "ends in * with no factor after it")]
    [InlineData("a/b *", "ends in * with no factor after it")]
    [InlineData("a/b /r * 2 /s", "factor \"2 /s\" that is not a finite number")]
    [InlineData("a/b /r * x * 2", "factor \"x * 2\" that is not a finite number")]
    [InlineData("a/#/b /x", "'#' must be a whole level and the last one")]
    [InlineData("a/b+ /x", "'+' must be a whole level")]
    [InlineData("{foo}/x", "unknown placeholder {foo}")]
    public void A_bad_rule_line_says_why(string line, string why)
    {
        Assert.Null(RuleText.Parse(line, Location.Total, Quantity.Power, "t", 0, out string? problem));
        Assert.Contains(why, problem);
    }

    [Theory]
    [InlineData("t /p * 0.001", "t /p * 0.001")]
    [InlineData("t   /p   *   1", "t /p")]
    [InlineData("t * 1E3", "t * 1000")]
    public void A_rule_shows_as_it_is_read_in_the_invariant_culture(string line, string shown) =>
        Assert.Equal(shown, RuleText.Parse(line, Location.Total, Quantity.Power, "t", 0, out _)!.Text);
}
