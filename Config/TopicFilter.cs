namespace MeterBridge.Config;

/// <summary>The rules of an MQTT topic filter (MQTT 3.1.1 §4.7), checked at start so a typo is a config error
/// and not a broker refusing the subscription later.</summary>
public static class TopicFilter
{
    /// <summary>Null when <paramref name="topic"/> is a valid filter, else why not.</summary>
    public static string? Problem(string topic)
    {
        if (topic.Length == 0)
            return "is empty: the topic to subscribe to is required";
        if (topic.Contains('\0'))
            return "contains a NUL character";
        if (System.Text.Encoding.UTF8.GetByteCount(topic) > 65535)
            return "is longer than MQTT allows (65535 bytes)";
        string[] levels = topic.Split('/');
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
}
