namespace MeterBridge.Sources;

/// <summary>
/// Whether a topic matches an MQTT topic filter (MQTT 3.1.1 §4.7): <c>+</c> is one level, a last <c>#</c> is any
/// number of levels including none (<c>a/#</c> matches <c>a</c>), and a wildcard first level never matches a topic
/// beginning with <c>$</c>. Compares level by level on spans: no allocation per message.
/// </summary>
public static class TopicMatch
{
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
