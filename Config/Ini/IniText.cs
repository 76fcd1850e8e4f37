namespace MeterBridge.Config.Ini;

/// <summary>
/// Text as Python's configparser sees it when it reads a file: lines end only at <c>\n</c>, <c>\r</c> or
/// <c>\r\n</c> (universal newlines; a form feed, U+0085, U+2028 or U+2029 stays inside its line), and blanks are
/// what <c>str.isspace</c> says, which is .NET's white space plus U+001C..U+001F.
/// </summary>
internal static class IniText
{
    /// <summary>The lines of <paramref name="text"/>, split where configparser splits them.</summary>
    public static List<string> Lines(string text)
    {
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is not ('\n' or '\r'))
                continue;
            lines.Add(text[start..i]);
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                i++;
            start = i + 1;
        }
        lines.Add(text[start..]);
        return lines;
    }

    /// <summary>Python's <c>str.isspace</c> for one character.</summary>
    public static bool IsBlank(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    /// <summary>Python's <c>str.strip()</c>.</summary>
    public static string Strip(string text) => StripEnd(text[Indent(text)..]);

    /// <summary>Python's <c>str.rstrip()</c>.</summary>
    public static string StripEnd(string text)
    {
        int end = text.Length;
        while (end > 0 && IsBlank(text[end - 1]))
            end--;
        return text[..end];
    }

    /// <summary>How many blanks the line starts with: configparser's indent level.</summary>
    public static int Indent(string line)
    {
        int i = 0;
        while (i < line.Length && IsBlank(line[i]))
            i++;
        return i;
    }
}
