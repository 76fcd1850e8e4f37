namespace MeterBridge.Sources;

/// <summary>
/// MQTT topic filters (MQTT 3.1.1 §4.7): whether a text is one, checked at start so a typo is a config error and not a
/// broker refusing the subscription later; and whether a topic matches one, per message.
/// </summary>
internal static class TopicFilter
{
    /// <summary>Null when <paramref name="filter"/> is a valid filter, else why not (a phrase: "is empty: …").</summary>
    public static string? Problem(string filter)
    {
        if (filter.Length == 0)
            return "is empty: the topic to subscribe to is required";
        if (filter.Contains('\0'))
            return "contains a NUL character";
        if (System.Text.Encoding.UTF8.GetByteCount(filter) > 65535)
            return "is longer than MQTT allows (65535 bytes)";
        string[] levels = filter.Split('/');
        for (int i = 0; i < levels.Length; i++)
        {
            string level = levels[i];
            if (level.Contains('#') && (level != "#" || i != levels.Length - 1))
                return "is not a valid topic filter: '#' must be a whole level and the last one";
            if (level.Contains('+') && level != "+")
                return "is not a valid topic filter: '+' must be a whole level";
        }
        return null;
    }

    /// <summary>
    /// Whether <paramref name="topic"/> matches <paramref name="filter"/>: <c>+</c> is one level, a last <c>#</c> is any
    /// number of levels including none (<c>a/#</c> matches <c>a</c>), and a wildcard first level never matches a topic
    /// beginning with <c>$</c>. Compares level by level on spans: no allocation per message.
    /// </summary>
    public static bool Matches(string filter, string topic)
    {
        if (topic.StartsWith('$') && filter.Length > 0 && filter[0] is '+' or '#') return false;
        ReadOnlySpan<char> f = filter, t = topic;
        while (true)
        {
            int fEnd = f.IndexOf('/'), tEnd = t.IndexOf('/');
            ReadOnlySpan<char> fLevel = fEnd < 0 ? f : f[..fEnd], tLevel = tEnd < 0 ? t : t[..tEnd];
            if (fLevel.SequenceEqual("#")) return true;
            if (!fLevel.SequenceEqual("+") && !fLevel.SequenceEqual(tLevel)) return false;
            if (fEnd < 0) return tEnd < 0;            // the filter ends: so must the topic
            f = f[(fEnd + 1)..];
            if (tEnd < 0) return f.SequenceEqual("#"); // the topic ends: only a last "/#" still matches
            t = t[(tEnd + 1)..];
        }
    }
}
