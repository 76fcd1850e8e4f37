using System.Globalization;

namespace MeterBridge.Config;

/// <summary>Reads and writes the text of config values: numbers in the invariant culture, booleans as
/// 1/true/yes/on and 0/false/no/off (as configparser's getboolean; note "0" is off, unlike the Python driver).</summary>
public static class ValueText
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
}
