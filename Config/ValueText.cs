using System.Globalization;
using MeterBridge.Config.Ini;

namespace MeterBridge.Config;

/// <summary>Reads and writes the text of config values: numbers in the invariant culture, booleans as
/// 1/true/yes/on and 0/false/no/off (as configparser's getboolean; note "0" is off, unlike the Python driver).
/// Below it, the other two things every message about a value needs: where it came from (<see cref="ValueOrigin"/>)
/// and the password kept out (<see cref="PasswordText"/>).</summary>
internal static class ValueText
{
    public static bool TryBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "1" or "true" or "yes" or "on":
                value = true;
                return true;
            case "0" or "false" or "no" or "off":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    public static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
        && value >= min && value <= max;

    /// <summary>A finite number; "NaN" and "Infinity" are not.</summary>
    public static bool TryDouble(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value);

    public static string Show(bool value) => value ? "1" : "0";

    public static string Show(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A value or config line as it appears in a one-line message: quoted, line breaks of a continued value
    /// shown as \n, and a line that starts with the password key masked (<see cref="PasswordText"/>).</summary>
    public static string Quote(string text) => "\"" + PasswordText.Hide(text).Replace("\n", "\\n") + "\"";

    /// <summary>A line of the config file that is not ini, as a message: <c>config.ini:7: "x" is not "key = value", …</c>.</summary>
    public static string Message(string fileName, IniError error) =>
        $"{fileName}:{error.Line}: " + (error.Text is null ? error.Phrase : $"{Quote(error.Text)} {error.Phrase}");
}

/// <summary>Where an effective value came from: <see cref="Source"/> for <c>meterbridge check</c>
/// (<c>default</c>, <c>--timeout</c>, <c>config.ini:12</c>) and <see cref="Where"/>, the start of a message about it
/// (<c>config.ini:12: timeout =</c> or <c>--timeout</c>), followed by the quoted value and the problem.</summary>
internal sealed record ValueOrigin(string Source, string Where)
{
    /// <summary>The source of a value nobody set.</summary>
    public const string DefaultSource = "default";

    public static ValueOrigin Default(string key) => new(DefaultSource, key + " =");

    public static ValueOrigin Flag(ConfigKey key) => new(key.Flag, key.Flag);

    public static ValueOrigin File(string fileName, int line, string key) => new($"{fileName}:{line}", $"{fileName}:{line}: {key} =");

    public string Message(string value, string problem) => $"{Where} {ValueText.Quote(value)} {problem}";
}

/// <summary>
/// Keeps the broker password out of every message. Messages quote values and whole config lines; a line that
/// starts with the password key (<c>password hunter2</c> without '=', <c>password = x</c> before any section, or
/// indented so that it continues the value above) is shown as the key and a mask, whatever is wrong with it.
/// (stderr goes to the GX's log under daemontools, once per restart.)
/// </summary>
internal static class PasswordText
{
    public const string Mask = "********";

    /// <summary><paramref name="text"/> with every line that starts with the password key shown as <c>password ********</c>.</summary>
    public static string Hide(string text)
    {
        if (!text.Contains(ConfigKeys.Password, StringComparison.OrdinalIgnoreCase))
            return text;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
            if (KeyLength(lines[i]) is > 0 and int end)
                lines[i] = lines[i][..end] + " " + Mask;
        return string.Join('\n', lines);
    }

    /// <summary>Where the password key ends in a line that starts with it (after blanks), else 0. "passwords = x" or
    /// "password_file = x" are other keys.</summary>
    private static int KeyLength(string line)
    {
        int start = IniText.Indent(line);
        int end = start + ConfigKeys.Password.Length;
        if (end > line.Length || !line.AsSpan(start, ConfigKeys.Password.Length).Equals(ConfigKeys.Password, StringComparison.OrdinalIgnoreCase))
            return 0;
        return end == line.Length || IniText.IsBlank(line[end]) || line[end] is '=' or ':' ? end : 0;
    }
}
