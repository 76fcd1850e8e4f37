namespace MeterBridge.Config.Ini;

/// <summary>
/// configparser's default <c>BasicInterpolation</c>: <c>%%</c> is a literal <c>%</c> and <c>%(key)s</c> is another key
/// of the same section (or DEFAULT). A password written as <c>pa%%ss</c> for the Python driver is <c>pa%ss</c>, so we
/// must expand it the same way; a lone <c>%</c> is an error there and here.
/// </summary>
internal static class IniInterpolation
{
    private const int MaxDepth = 10; // configparser's MAX_INTERPOLATION_DEPTH
    /// <summary>Ten levels of keys that each name the next one many times would grow past any heap and clock
    /// (configparser would run until it runs out of memory); no real value comes near these.</summary>
    public const int MaxLength = 65536;
    private const int MaxReferences = 10_000;

    /// <summary>Expands <paramref name="raw"/>; returns null on success, else what is wrong.</summary>
    public static string? Expand(string raw, Func<string, string?> lookup, out string value)
    {
        var text = new System.Text.StringBuilder();
        int references = 0;
        string? error = Expand(raw, lookup, text, 1, ref references);
        value = text.ToString();
        return error;
    }

    private static string? Expand(string rest, Func<string, string?> lookup, System.Text.StringBuilder text, int depth, ref int references)
    {
        if (depth > MaxDepth)
            return $"%(…)s references nest deeper than {MaxDepth} (a key refers to itself?)";
        while (rest.Length > 0)
        {
            int percent = rest.IndexOf('%');
            if (percent < 0)
            {
                text.Append(rest);
                return null;
            }
            text.Append(rest, 0, percent);
            rest = rest[percent..];
            if (rest.StartsWith("%%", StringComparison.Ordinal))
            {
                text.Append('%');
                rest = rest[2..];
                continue;
            }
            if (!rest.StartsWith("%(", StringComparison.Ordinal))
                return "'%' must be followed by '%' or '(' (write %% for a literal %)";
            int close = rest.IndexOf(')');
            if (close < 3 || close + 1 >= rest.Length || rest[close + 1] != 's')
                return "'%(' must be followed by a key name and ')s' (write %% for a literal %)";
            if (++references > MaxReferences)
                return $"more than {MaxReferences} %(…)s references to expand";
            string key = rest[2..close].ToLowerInvariant();
            rest = rest[(close + 2)..];
            string? referenced = lookup(key);
            if (referenced is null)
                return $"%({key})s refers to a key that is not set";
            // configparser expands a referenced value only when it holds a '%': a plain one does not count as a level.
            if (referenced.Contains('%'))
            {
                string? error = Expand(referenced, lookup, text, depth + 1, ref references);
                if (error is not null)
                    return error;
            }
            else
            {
                text.Append(referenced);
            }
            if (text.Length > MaxLength)
                return $"%(…)s references make the value longer than {MaxLength} characters";
        }
        return null;
    }
}
