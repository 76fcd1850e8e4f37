using System.Globalization;
using System.Text.Json;

namespace MeterBridge.Detect;

/// <summary>
/// Shelly devices by their topics (sources.md "Presets"): Gen2+ status topics <c>PREFIX/status/em:0</c>, <c>em1:N</c>,
/// <c>switch:N</c>, <c>pm1:N</c> (and their <c>…data</c> twins), the same components in the <c>params</c> of
/// <c>PREFIX/events/rpc</c>, and Gen1 bare numbers on <c>shellies/ID/emeter/N/FIELD</c>. Other Shelly topics
/// (<c>online</c>, <c>status/sys</c>, a switch without metering) give no meter: the preset's rules then read nothing.
/// </summary>
internal static class ShellyTopics
{
    private const string Status = "/status/";
    private const string Rpc = "/events/rpc";
    private static readonly string[] Gen1Fields = ["power", "voltage", "current", "pf", "total", "total_returned", "reactive_power", "energy", "returned_energy"];

    /// <summary>True when the topic has a Shelly shape (then no other recogniser looks at it); meters found are added.</summary>
    public static bool Recognise(string topic, byte[] payload, List<Candidate> found)
    {
        int status = topic.LastIndexOf(Status, StringComparison.Ordinal);
        if (status > 0 && topic.IndexOf('/', status + Status.Length) < 0)
        {
            if (Component(topic[..status], topic[(status + Status.Length)..]) is { } candidate) found.Add(candidate);
            return true;
        }
        if (topic.EndsWith(Rpc, StringComparison.Ordinal) && topic.Length > Rpc.Length)
        {
            foreach (string component in RpcComponents(payload))
                if (Component(topic[..^Rpc.Length], component) is { } candidate) found.Add(candidate);
            return true;
        }
        return Gen1(topic, found);
    }

    /// <summary>A Gen2+ component name (<c>em1:1</c>) as the preset and channel that read it.</summary>
    private static Candidate? Component(string prefix, string component)
    {
        int colon = component.IndexOf(':');
        if (colon <= 0 || !int.TryParse(component.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int channel) || channel > 99)
            return null;
        return component[..colon] switch
        {
            "em" or "emdata" when channel == 0 => new Candidate("shelly-gen2-em", prefix, 0, "Shelly Gen2+ three-phase meter (Pro 3EM, 3EM Gen3, 3EM-63)"),
            "em1" or "em1data" => new Candidate("shelly-gen2-em1", prefix, channel, "Shelly Gen2+ one-phase meter channel (Pro EM-50, EM Gen3, 3EM monophase)"),
            "switch" or "pm1" => new Candidate("shelly-gen2-pm", prefix, channel, "Shelly Gen2+ switch or plug with metering (Plus/Pro/Mini PM, 1PM, Plug S)"),
            _ => null,
        };
    }

    /// <summary>The component names under <c>params</c> of an RPC notification (NotifyStatus, NotifyFullStatus).</summary>
    private static List<string> RpcComponents(byte[] payload)
    {
        var members = JsonMembers.Read(payload, maxDepth: 2) ?? [];
        bool hasParams = members.Exists(m => m.Depth == 1 && m.Name == "params" && m.Kind == JsonTokenType.StartObject);
        return hasParams ? [.. members.Where(m => m.Depth == 2 && m.Pointer.StartsWith("/params/", StringComparison.Ordinal) && m.Kind == JsonTokenType.StartObject).Select(m => m.Name)] : [];
    }

    /// <summary>
    /// <c>PREFIX/emeter/N/FIELD</c>: a Shelly 3EM (its id says so, or a channel 2, or a current: the EM has neither) is one
    /// three-phase meter; a Shelly EM is a meter per channel.
    /// </summary>
    private static bool Gen1(string topic, List<Candidate> found)
    {
        string[] levels = topic.Split('/');
        int n = levels.Length;
        if (n < 4 || levels[n - 3] != "emeter" || !Gen1Fields.Contains(levels[n - 1])
            || !int.TryParse(levels[n - 2], NumberStyles.None, CultureInfo.InvariantCulture, out int channel) || channel > 2)
            return false;
        string prefix = string.Join('/', levels[..(n - 3)]);
        string id = levels[n - 4].ToLowerInvariant();
        bool threePhase = id.StartsWith("shellyem3", StringComparison.Ordinal) || id.StartsWith("shelly3em", StringComparison.Ordinal)
            || channel == 2 || levels[n - 1] == "current";
        found.Add(threePhase
            ? new Candidate("shelly-gen1-3em", prefix, 0, "Shelly 3EM (Gen1)")
            : new Candidate("shelly-gen1-em", prefix, channel, "Shelly EM (Gen1) channel"));
        return true;
    }

    /// <summary>A Gen1 device seen as a 3EM is one meter: its topics that looked like an EM's channel are not another.</summary>
    public static void MergeGen1(List<Candidate> candidates)
    {
        var threePhase = candidates.Where(c => c.Format == "shelly-gen1-3em").Select(c => c.Topic).ToHashSet(StringComparer.Ordinal);
        candidates.RemoveAll(c => c.Format == "shelly-gen1-em" && threePhase.Contains(c.Topic));
    }
}
