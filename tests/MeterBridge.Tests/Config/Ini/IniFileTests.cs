using Xunit;
using MeterBridge.Config.Ini;

namespace MeterBridge.Tests.Config.Ini;

public sealed class IniFileTests
{
    private static string? Value(IniFile ini, string section, string key) => ini.Get(section, key)?.Value;

    [Fact]
    public void DEFAULT_keys_are_visible_in_every_section_and_own_keys_win()
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
    public void Section_keys_are_not_visible_in_DEFAULT()
    {
        var ini = IniFile.Parse("[MQTT]\ntimeout = 5\n", "c.ini");
        Assert.Null(Value(ini, "DEFAULT", "timeout"));
        Assert.Equal("5", Value(ini, "MQTT", "timeout"));
    }

    [Fact]
    public void Comments_and_blank_lines_are_skipped_but_inline_text_stays_in_the_value()
    {
        var ini = IniFile.Parse("; top\n# hash\n\n[MQTT]\n  ; indented comment\ntopic = a/b ; not a comment\n#x = 1\n", "c.ini");
        Assert.Equal("a/b ; not a comment", Value(ini, "MQTT", "topic"));
        Assert.Null(Value(ini, "MQTT", "x"));
        Assert.Single(ini.Section("MQTT")!.Entries);
    }

    [Fact]
    public void Colon_delimits_and_the_first_delimiter_wins()
    {
        var ini = IniFile.Parse("[S]\nurl: http://h:1/x\nk=v=w\nempty =\nspaced   =   text with  blanks   \n", "c.ini");
        Assert.Equal("http://h:1/x", Value(ini, "S", "url"));
        Assert.Equal("v=w", Value(ini, "S", "k"));
        Assert.Equal("", Value(ini, "S", "empty"));
        Assert.Equal("text with  blanks", Value(ini, "S", "spaced"));
    }

    [Fact]
    public void Keys_are_case_insensitive_and_sections_case_sensitive()
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
    public void Indented_lines_continue_the_value_and_keep_the_key_line()
    {
        var ini = IniFile.Parse("[S]\nk = first\n  second\n\n    third\n; c\nnext = 1\n\n", "c.ini");
        IniValue k = ini.Get("S", "k")!;
        Assert.Equal("first\nsecond\n\nthird", k.Value);
        Assert.Equal(2, k.Entry.Line);
        Assert.Equal("1", Value(ini, "S", "next"));
        Assert.Equal(7, ini.Get("S", "next")!.Entry.Line);
    }

    [Fact]
    public void An_indented_key_line_continues_the_value_above_as_in_configparser()
    {
        var ini = IniFile.Parse("[S]\nempty =\n  nested = x\n", "c.ini");
        Assert.Equal("\nnested = x", Value(ini, "S", "empty"));
        Assert.Null(Value(ini, "S", "nested"));
    }

    [Fact]
    public void Trailing_blank_lines_are_not_part_of_the_value()
    {
        var ini = IniFile.Parse("[S]\nk = v\n\n\nm = w", "c.ini");
        Assert.Equal("v", Value(ini, "S", "k"));
        Assert.Equal("w", Value(ini, "S", "m"));
    }

    [Fact]
    public void Windows_line_endings_and_byte_order_mark_are_accepted()
    {
        var ini = IniFile.Parse("\uFEFF[MQTT]\r\ntopic = t\r\n", "c.ini");
        Assert.Equal("t", Value(ini, "MQTT", "topic"));
        Assert.Empty(ini.Errors);
    }

    [Fact]
    public void Percent_interpolation_works_like_configparser()
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
    public void Interpolation_of_a_missing_or_self_referring_key_is_an_error()
    {
        var ini = IniFile.Parse("[S]\na = %(nope)s\nb = %(b)s\n", "c.ini");
        Assert.Contains("nope", ini.Get("S", "a")!.InterpolationError);
        Assert.Contains("deeper", ini.Get("S", "b")!.InterpolationError);
    }

    [Fact]
    public void Every_bad_line_is_reported_with_its_number_the_phrase_and_the_line()
    {
        var ini = IniFile.Parse("orphan = 1\n[S]\nno delimiter here\n= value\na = 1\na = 2\n[S]\n", "my.ini");
        Assert.Equal(
        [
            new IniError(1, "comes before the first [section] header", "orphan = 1"),
            new IniError(3, "is not \"key = value\", a [section] header or a comment", "no delimiter here"),
            new IniError(4, "has no key before '='", "= value"),
            new IniError(6, "a appears a second time in [S]"),
            new IniError(7, "section [S] appears a second time"),
        ], ini.Errors);
    }

    [Fact]
    public void DEFAULT_may_appear_twice()
    {
        var ini = IniFile.Parse("[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n", "c.ini");
        Assert.Empty(ini.Errors);
        Assert.Equal("1", Value(ini, "DEFAULT", "a"));
        Assert.Equal("2", Value(ini, "DEFAULT", "b"));
    }

    [Theory]
    [InlineData("\f")]
    [InlineData("\u0085")]
    [InlineData("\u2028")]
    [InlineData("\u2029")]
    [InlineData("\u000B")]
    public void Only_newline_and_carriage_return_end_a_line_as_in_configparser(string notABreak)
    {
        // configparser reads the file with universal newlines: \n, \r, \r\n. (checked against Python 3.11's)
        var ini = IniFile.Parse($"[S]\na = 1{notABreak}b = 2\rc = 3\r\nd = 4\n{notABreak}e = 5\n", "c.ini");
        Assert.Equal($"1{notABreak}b = 2", Value(ini, "S", "a"));
        Assert.Null(Value(ini, "S", "b"));
        Assert.Equal(3, ini.Get("S", "c")!.Entry.Line);
        Assert.Equal("4\ne = 5", Value(ini, "S", "d"));   // a line starting with a blank continues the value
        Assert.Empty(ini.Errors);
    }

    [Fact]
    public void Blanks_are_what_Python_strips_including_the_separator_controls()
    {
        var ini = IniFile.Parse("[S]\na = 1\u001C\n\u001Fb\u001E= 2\u001D\n", "c.ini");
        Assert.Equal("1\nb\u001E= 2", Value(ini, "S", "a"));   // configparser: indented by U+001F, so a continuation
        var keys = IniFile.Parse("[S]\nk\u001C = v\u001F\n", "c.ini");
        Assert.Equal("v", Value(keys, "S", "k"));
    }

    [Fact]
    public void Interpolation_goes_as_deep_as_configparser()
    {
        // Python 3.11: a chain of 10 references to a plain value works; when the 10th holds a '%' too, it is too deep.
        string chain = "[S]\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"a{i} = %(a{i + 1})s\n"));
        Assert.Equal("end", Value(IniFile.Parse(chain + "a10 = end\n", "c.ini"), "S", "a0"));
        Assert.Contains("deeper", IniFile.Parse(chain + "a10 = 5%%\n", "c.ini").Get("S", "a0")!.InterpolationError);
        Assert.Equal("5%", Value(IniFile.Parse(chain.Replace("a0 = %(a1)s\n", "") + "a10 = 5%%\n", "c.ini"), "S", "a1"));
    }

    [Fact]
    public void Interpolation_that_would_explode_is_refused_quickly()
    {
        // a..h each name the next key ten times: 10^8 expansions of i.
        string text = "[S]\n" + string.Concat("abcdefgh".Select(c => $"{c} = {string.Concat(Enumerable.Repeat($"%({(char)(c + 1)})s", 10))}\n"));
        Assert.Contains("references to expand", IniFile.Parse(text + "i =\n", "c.ini").Get("S", "a")!.InterpolationError);
        Assert.Contains("longer than", IniFile.Parse(text + $"i = {new string('x', 20_000)}\n", "c.ini").Get("S", "a")!.InterpolationError);
    }

    [Fact]
    public void A_file_that_is_not_ini_gives_a_short_list()
    {
        var ini = IniFile.Parse("[S]\n" + string.Concat(Enumerable.Repeat("garbage\n", 10_000)), "c.ini");
        Assert.Equal(IniFile.MaxErrors + 1, ini.Errors.Count);
        Assert.Equal(new IniError(IniFile.MaxErrors + 2, "more problems from here on are not listed (is this an ini file?)"), ini.Errors[^1]);
    }

    [Fact]
    public void The_Python_drivers_sample_parses()
    {
        var ini = IniFile.Read(MeterBridge.Tests.Config.ConfigTestFiles.PythonSample);
        Assert.Empty(ini.Errors);
        Assert.Equal("WARNING", Value(ini, "MQTT", "logging"));
        Assert.Equal("enphase/envoy-s/meters", Value(ini, "MQTT", "topic"));
        Assert.Null(Value(ini, "MQTT", "tls_enabled"));
    }
}
