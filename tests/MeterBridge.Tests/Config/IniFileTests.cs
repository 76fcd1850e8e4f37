using Xunit;
using MeterBridge.Config;

namespace MeterBridge.Tests.Config;

public sealed class IniFileTests
{
    private static string? Value(IniFile ini, string section, string key) => ini.Get(section, key)?.Value;

    [Fact]
    public void DefaultKeysAreVisibleInEverySectionAndOwnKeysWin()
    {
        var ini = IniFile.Parse("[DEFAULT]\na = 1\nb = 2\n[MQTT]\nb = 3\n[Other]\n", "c.ini");
        Assert.Equal("1", Value(ini, "MQTT", "a"));
        Assert.Equal("3", Value(ini, "MQTT", "b"));
        Assert.Equal("2", Value(ini, "DEFAULT", "b"));
        Assert.Equal("2", Value(ini, "Other", "b"));
        Assert.Equal("1", Value(ini, "Missing", "a"));
        Assert.Null(Value(ini, "MQTT", "c"));
        Assert.Empty(ini.Errors);
    }

    [Fact]
    public void SectionKeysAreNotVisibleInDefault()
    {
        var ini = IniFile.Parse("[MQTT]\ntimeout = 5\n", "c.ini");
        Assert.Null(Value(ini, "DEFAULT", "timeout"));
        Assert.Equal("5", Value(ini, "MQTT", "timeout"));
    }

    [Fact]
    public void CommentsAndBlankLinesAreSkippedButInlineTextStaysInTheValue()
    {
        var ini = IniFile.Parse("; top\n# hash\n\n[MQTT]\n  ; indented comment\ntopic = a/b ; not a comment\n#x = 1\n", "c.ini");
        Assert.Equal("a/b ; not a comment", Value(ini, "MQTT", "topic"));
        Assert.Null(Value(ini, "MQTT", "x"));
        Assert.Single(ini.Section("MQTT")!.Entries);
    }

    [Fact]
    public void ColonDelimitsAndTheFirstDelimiterWins()
    {
        var ini = IniFile.Parse("[S]\nurl: http://h:1/x\nk=v=w\nempty =\nspaced   =   text with  blanks   \n", "c.ini");
        Assert.Equal("http://h:1/x", Value(ini, "S", "url"));
        Assert.Equal("v=w", Value(ini, "S", "k"));
        Assert.Equal("", Value(ini, "S", "empty"));
        Assert.Equal("text with  blanks", Value(ini, "S", "spaced"));
    }

    [Fact]
    public void KeysAreCaseInsensitiveAndSectionsCaseSensitive()
    {
        var ini = IniFile.Parse("[MQTT]\nBroker_Address = h\n[mqtt]\nx = 1\n", "c.ini");
        Assert.Equal("h", Value(ini, "MQTT", "broker_address"));
        Assert.Equal("h", Value(ini, "MQTT", "BROKER_ADDRESS"));
        Assert.Equal("broker_address", ini.Section("MQTT")!.Entries[0].Key);
        Assert.Null(Value(ini, "MQTT", "x"));
        Assert.Equal("1", Value(ini, "mqtt", "x"));
        Assert.Equal(2, ini.Sections.Count);
    }

    [Fact]
    public void IndentedLinesContinueTheValueAndKeepTheKeyLine()
    {
        var ini = IniFile.Parse("[S]\nk = first\n  second\n\n    third\n; c\nnext = 1\n\n", "c.ini");
        IniValue k = ini.Get("S", "k")!;
        Assert.Equal("first\nsecond\n\nthird", k.Value);
        Assert.Equal(2, k.Entry.Line);
        Assert.Equal("1", Value(ini, "S", "next"));
        Assert.Equal(7, ini.Get("S", "next")!.Entry.Line);
    }

    [Fact]
    public void AnIndentedKeyLineContinuesTheValueAboveAsInConfigparser()
    {
        var ini = IniFile.Parse("[S]\nempty =\n  nested = x\n", "c.ini");
        Assert.Equal("\nnested = x", Value(ini, "S", "empty"));
        Assert.Null(Value(ini, "S", "nested"));
    }

    [Fact]
    public void TrailingBlankLinesAreNotPartOfTheValue()
    {
        var ini = IniFile.Parse("[S]\nk = v\n\n\nm = w", "c.ini");
        Assert.Equal("v", Value(ini, "S", "k"));
        Assert.Equal("w", Value(ini, "S", "m"));
    }

    [Fact]
    public void WindowsLineEndingsAndByteOrderMarkAreAccepted()
    {
        var ini = IniFile.Parse("\uFEFF[MQTT]\r\ntopic = t\r\n", "c.ini");
        Assert.Equal("t", Value(ini, "MQTT", "topic"));
        Assert.Empty(ini.Errors);
    }

    [Fact]
    public void PercentInterpolationWorksLikeConfigparser()
    {
        var ini = IniFile.Parse("[DEFAULT]\nbase = home\n[S]\npassword = pa%%ss\ntopic = %(base)s/meter\nbad = 50%\n", "c.ini");
        Assert.Equal("pa%ss", Value(ini, "S", "password"));
        Assert.Equal("home/meter", Value(ini, "S", "topic"));
        IniValue bad = ini.Get("S", "bad")!;
        Assert.NotNull(bad.InterpolationError);
        Assert.Equal("50%", bad.Value);
        Assert.Null(ini.Get("S", "x"));
    }

    [Fact]
    public void InterpolationOfAMissingOrSelfReferringKeyIsAnError()
    {
        var ini = IniFile.Parse("[S]\na = %(nope)s\nb = %(b)s\n", "c.ini");
        Assert.Contains("nope", ini.Get("S", "a")!.InterpolationError);
        Assert.Contains("deeper", ini.Get("S", "b")!.InterpolationError);
    }

    [Fact]
    public void EveryBadLineIsReportedWithFileAndLine()
    {
        var ini = IniFile.Parse("orphan = 1\n[S]\nno delimiter here\n= value\na = 1\na = 2\n[S]\n", "my.ini");
        Assert.Equal(
        [
            "my.ini:1: \"orphan = 1\" comes before the first [section] header",
            "my.ini:3: \"no delimiter here\" is not \"key = value\", a [section] header or a comment",
            "my.ini:4: \"= value\" has no key before '='",
            "my.ini:6: a appears a second time in [S]",
            "my.ini:7: section [S] appears a second time",
        ], ini.Errors);
    }

    [Fact]
    public void DefaultMayAppearTwice()
    {
        var ini = IniFile.Parse("[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n", "c.ini");
        Assert.Empty(ini.Errors);
        Assert.Equal("1", Value(ini, "DEFAULT", "a"));
        Assert.Equal("2", Value(ini, "DEFAULT", "b"));
    }

    [Fact]
    public void ThePythonDriversSampleParses()
    {
        var ini = IniFile.Read(ConfigTestFiles.PythonSample);
        Assert.Empty(ini.Errors);
        Assert.Equal("WARNING", Value(ini, "MQTT", "logging"));
        Assert.Equal("enphase/envoy-s/meters", Value(ini, "MQTT", "topic"));
        Assert.Null(Value(ini, "MQTT", "tls_enabled"));
    }
}
