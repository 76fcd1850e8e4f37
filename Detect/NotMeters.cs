namespace MeterBridge.Detect;

/// <summary>
/// Topics that carry no meter's reading whatever their payload: the broker's own <c>$SYS</c>, Home Assistant discovery
/// <c>…/config</c>, Tasmota's <c>LWT</c>, <c>STATE</c>, <c>INFO1..3</c>, <c>RESULT</c> and <c>STATUS…</c> answers,
/// Zigbee2MQTT's <c>bridge/…</c> and a device's <c>availability</c>, <c>set</c> and <c>get</c>.
/// </summary>
internal static class NotMeters
{
    public static bool Ignored(string topic)
    {
        if (topic.StartsWith('$')) return true;
        string[] levels = topic.Split('/');
        string last = levels[^1];
        if (last is "config" or "LWT" or "STATE" or "RESULT" or "availability" or "set" or "get"
            || last.StartsWith("INFO", StringComparison.Ordinal) || last.StartsWith("STATUS", StringComparison.Ordinal))
            return true;
        return levels.Length > 1 && levels[1] == "bridge";
    }
}
