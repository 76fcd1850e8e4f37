namespace MeterBridge.Config;

/// <summary>
/// Keeps the broker password out of every message. Messages quote values and whole config lines; a line that
/// starts with the password key (<c>password hunter2</c> without '=', <c>password = x</c> before any section, or
/// indented so that it continues the value above) is shown as the key and a mask, whatever is wrong with it.
/// (stderr goes to the GX's log under daemontools, once per restart.)
/// </summary>
public static class PasswordText
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
