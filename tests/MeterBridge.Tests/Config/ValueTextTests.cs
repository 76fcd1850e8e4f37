using MeterBridge.Config;
using MeterBridge.Config.Ini;
using Xunit;

namespace MeterBridge.Tests.Config;

/// <summary>How values and config lines appear in messages: the ini reader's errors worded, and the password never shown.</summary>
public class ValueTextTests
{
    [Fact]
    public void An_ini_error_is_one_line_naming_file_and_line_with_the_line_quoted()
    {
        var ini = IniFile.Parse("orphan = 1\n[S]\nno delimiter here\n= value\na = 1\na = 2\n[S]\n", "my.ini");
        Assert.Equal(
        [
            "my.ini:1: \"orphan = 1\" comes before the first [section] header",
            "my.ini:3: \"no delimiter here\" is not \"key = value\", a [section] header or a comment",
            "my.ini:4: \"= value\" has no key before '='",
            "my.ini:6: a appears a second time in [S]",
            "my.ini:7: section [S] appears a second time",
        ], ini.Errors.Select(error => ValueText.Message(ini.FileName, error)));
    }

    [Theory]
    [InlineData("password hunter2\n[MQTT]\n")]
    [InlineData("[MQTT]\npassword hunter2\n")]
    [InlineData("password = hunter2\n[MQTT]\n")]
    [InlineData("[MQTT]\nPASSWORD\thunter2\n")]
    public void A_lines_error_never_shows_a_password(string text)
    {
        var ini = IniFile.Parse(text, "c.ini");
        Assert.NotEmpty(ini.Errors);
        Assert.All(ini.Errors, error => Assert.DoesNotContain("hunter2", ValueText.Message(ini.FileName, error)));
    }

    [Fact]
    public void A_continued_value_is_quoted_on_one_line() =>
        Assert.Equal("\"a\\nb\"", ValueText.Quote("a\nb"));
}
