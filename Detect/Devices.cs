using MeterBridge.Core;
using MeterBridge.Sources;

namespace MeterBridge.Detect;

/// <summary>
/// One report per meter. A device seen on several topics or in several shapes gives several guesses: the same guess
/// twice is one, a Gen1 Shelly seen as a 3EM is not also an EM, the JSON guesses of one topic are one mapping with every
/// quantity found, and a custom guess under a Shelly's own prefix (a Gen1 <c>info</c> holding a <c>total_power</c>) is
/// that Shelly again. A device with several channels reports a second channel only when it carries a meter of its own.
/// </summary>
internal static class Devices
{
    public static List<Candidate> OnePerDevice(List<Candidate> candidates)
    {
        var merged = new List<Candidate>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var customs = new Dictionary<string, int>(StringComparer.Ordinal); // topic and kind -> where its custom guess is in merged
        foreach (Candidate candidate in candidates)
        {
            string custom = candidate.Topic + "\n" + candidate.Kind;
            if (candidate.Format != Presets.Custom || !customs.TryGetValue(custom, out int same))
            {
                if (!keys.Add(candidate.Key)) continue;
                if (candidate.Format == Presets.Custom) customs[custom] = merged.Count;
                merged.Add(candidate);
                continue;
            }
            var rules = new List<(string Key, string Rule)>(merged[same].Mapping);
            foreach (var rule in candidate.Mapping)
                if (!rules.Exists(r => r.Key == rule.Key)) rules.Add(rule);
            merged[same] = merged[same] with { Mapping = Candidate.Ordered(rules) };
        }
        ShellyTopics.MergeGen1(merged);
        var shellies = merged.Where(c => Presets.IsShelly(c.Format)).Select(c => c.Topic + "/").ToHashSet(StringComparer.Ordinal);
        if (shellies.Count > 0)
            merged.RemoveAll(c => c.Format == Presets.Custom && shellies.Any(prefix => (c.Topic + "/").StartsWith(prefix, StringComparison.Ordinal)));
        return merged;
    }

    /// <summary>
    /// Of a device's channels (the same format and topic), those whose power or energy is not zero; when none is, the
    /// first: an unwired clamp or an idle relay beside the one in use is no meter of its own.
    /// </summary>
    public static IEnumerable<FoundMeter> OwnChannels(List<FoundMeter> found)
    {
        var devices = new Dictionary<string, List<FoundMeter>>(StringComparer.Ordinal);
        foreach (FoundMeter meter in found)
        {
            string device = meter.Candidate.Format + "\n" + meter.Candidate.Topic;
            if (!devices.TryGetValue(device, out var list)) devices[device] = list = [];
            list.Add(meter);
        }
        foreach (List<FoundMeter> device in devices.Values)
        {
            // By channel: a stable insertion sort of a device's few channels (LINQ's OrderBy brings a sorter per key type).
            var channels = new List<FoundMeter>(device);
            for (int i = 1; i < channels.Count; i++)
                for (int j = i; j > 0 && channels[j - 1].Candidate.Channel > channels[j].Candidate.Channel; j--)
                    (channels[j - 1], channels[j]) = (channels[j], channels[j - 1]);
            var own = channels.Count == 1 ? channels : channels.Where(Reads).ToList();
            foreach (FoundMeter meter in own.Count > 0 ? own : channels.Take(1)) yield return meter;
        }
    }

    private static bool Reads(FoundMeter meter)
    {
        for (var location = Location.Total; location <= Location.L3; location++)
            foreach (Quantity quantity in (ReadOnlySpan<Quantity>)[Quantity.Power, Quantity.EnergyForward, Quantity.EnergyReverse])
                if (meter.Readout.Shown(location, quantity) is var value && !double.IsNaN(value) && value != 0) return true;
        return false;
    }
}
