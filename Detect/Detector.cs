using MeterBridge.Config;
using MeterBridge.Core;
using MeterBridge.Items;
using MeterBridge.Sources;

namespace MeterBridge.Detect;

/// <summary>
/// From the messages seen to the meters found, with no I/O. Every kept message goes through the recognisers (Shelly
/// topics, JSON shapes; numbers on named topics by their newest), which guess a format, topic, channel and mapping; the
/// guesses of one device are one meter (<see cref="Devices"/>). A guess is confirmed the way <c>run</c> would read it:
/// its settings are compiled by <see cref="SourceCompiler"/>, every kept message of every topic its rules subscribe to
/// is fed, in order of arrival, to a fresh meter, and the GX would then show a power or an energy.
/// </summary>
internal static class Detector
{
    public static List<FoundMeter> Find(IReadOnlyCollection<SeenMessage> messages, Settings settings)
    {
        var candidates = new List<Candidate>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (SeenMessage message in messages)
        {
            var guesses = Recognised(message);
            for (int i = 0; i < guesses.Found.Count; i++)
                if (keys.Add(guesses.Keys[i])) candidates.Add(guesses.Found[i]);
        }
        // A number topic by its newest number: Home Assistant's "unavailable" after it is no reason to lose the meter.
        var kept = new Kept(messages);
        var numbers = new NumberTopics();
        // Oldest newest message first: a stable insertion sort (LINQ's OrderBy and List.Sort each brought their own sorter).
        var byAge = new List<SeenTopic>(kept.ByTopic.Keys);
        for (int i = 1; i < byAge.Count; i++)
            for (int j = i; j > 0 && byAge[j - 1].Sequence > byAge[j].Sequence; j--)
                (byAge[j - 1], byAge[j]) = (byAge[j], byAge[j - 1]);
        foreach (SeenTopic topic in byAge)
        {
            List<SeenMessage> own = kept.ByTopic[topic];
            for (int i = own.Count - 1; i >= 0; i--)
                if (!Recognised(own[i]).Claimed && numbers.Add(topic.Topic, own[i].Payload)) break;
        }
        candidates.AddRange(numbers.Candidates());

        var found = new List<FoundMeter>();
        foreach (Candidate candidate in Devices.OnePerDevice(candidates))
            if (Confirm(candidate, kept, settings) is { } meter) found.Add(meter);
        // Best first, by a stable insertion sort of the few meters: LINQ's OrderBy/ThenBy, one sorter per key type, cost
        // the binary more than this whole file (docs/platform.md).
        var best = new List<FoundMeter>(Devices.OwnChannels(found));
        for (int i = 1; i < best.Count; i++)
            for (int j = i; j > 0 && ComesAfter(best[j - 1], best[j]); j--)
                (best[j - 1], best[j]) = (best[j], best[j - 1]);
        return best;
    }

    /// <summary>Presets before custom, a power before none, more messages first, then by topic and channel.</summary>
    private static bool ComesAfter(FoundMeter a, FoundMeter b)
    {
        bool customA = a.Candidate.Format == Presets.Custom, customB = b.Candidate.Format == Presets.Custom;
        if (customA != customB) return customA;
        if (a.ShowsPower != b.ShowsPower) return !a.ShowsPower;
        if (a.Messages != b.Messages) return a.Messages < b.Messages;
        int topic = string.CompareOrdinal(a.Candidate.Topic, b.Candidate.Topic);
        if (topic != 0) return topic > 0;
        return a.Candidate.Channel > b.Candidate.Channel;
    }

    /// <summary>
    /// The Shelly and JSON guesses for one message, once per message (the recognisers are pure; a busy log is read every
    /// second). Claimed: it has such a shape, or its topic carries no meter whatever it holds; else it may be a number.
    /// </summary>
    private static SeenMessage.Guesses Recognised(SeenMessage message)
    {
        if (message.Recognised is { } known) return known;
        var found = new List<Candidate>();
        string topic = message.Topic.Topic;
        bool claimed = ShellyTopics.Recognise(topic, message.Payload, found) || NotMeters.Ignored(topic) || JsonPayloads.Recognise(topic, message.Payload, found);
        var keys = new string[found.Count];
        for (int i = 0; i < keys.Length; i++) keys[i] = found[i].Key;
        // A topic's messages mostly give the same guesses: they share one, so a flood keeps a reference per message.
        if (message.Topic.LastGuesses is { } last && last.Claimed == claimed && Same(last.Keys, keys)) return message.Recognised = last;
        return message.Recognised = message.Topic.LastGuesses = new SeenMessage.Guesses(found, keys, claimed);
    }

    private static bool Same(string[] a, string[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary>The candidate's settings, as <c>run</c> would build them from its config lines; null when they do not compile.</summary>
    public static Settings? SettingsFor(Candidate candidate, Settings settings)
    {
        var problems = new List<SourceProblem>();
        var mapping = new List<MappingEntry>(candidate.Mapping.Count);
        for (int i = 0; i < candidate.Mapping.Count; i++) mapping.Add(new MappingEntry(candidate.Mapping[i].Key, candidate.Mapping[i].Rule, "detect", i + 1));
        MappedSource? source = SourceCompiler.Compile(candidate.Format, candidate.Topic, candidate.Channel, mapping, problems);
        if (problems.Count > 0 || TopicFilter.Problem(candidate.Topic) is not null) return null;
        return settings with { Format = candidate.Format, Topic = candidate.Topic, Channel = candidate.Channel, Source = source };
    }

    /// <summary>
    /// The candidate replayed; a custom one whose other quantities spoil it (a battery's voltage in mV rejects every
    /// message) is tried again with its powers and energies alone.
    /// </summary>
    private static FoundMeter? Confirm(Candidate candidate, Kept kept, Settings settings)
    {
        if (Replay(candidate, kept, settings) is { } meter) return meter;
        if (candidate.Format != Presets.Custom) return null;
        var meterRules = new List<(string Key, string Rule)>();
        foreach (var rule in candidate.Mapping)
            if (NameWords.IsMeterKey(rule.Key)) meterRules.Add(rule);
        if (meterRules.Count == candidate.Mapping.Count) return null;
        return Replay(candidate with { Mapping = meterRules }, kept, settings);
    }

    /// <summary>
    /// The kept messages of each topic, oldest first, and the topics by their first level: a candidate replays only its
    /// own topics', and a filter that starts with a name looks only at the topics that start with it.
    /// </summary>
    private sealed class Kept
    {
        public Dictionary<SeenTopic, List<SeenMessage>> ByTopic { get; } = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, List<SeenTopic>> _byFirstLevel = new(StringComparer.Ordinal);

        public Kept(IReadOnlyCollection<SeenMessage> messages)
        {
            foreach (SeenMessage message in messages)
            {
                if (!ByTopic.TryGetValue(message.Topic, out var own))
                {
                    ByTopic[message.Topic] = own = [];
                    string first = FirstLevel(message.Topic.Topic);
                    if (!_byFirstLevel.TryGetValue(first, out var topics)) _byFirstLevel[first] = topics = [];
                    topics.Add(message.Topic);
                }
                own.Add(message);
            }
        }

        public IEnumerable<SeenTopic> Matching(string filter)
        {
            string first = FirstLevel(filter);
            IEnumerable<SeenTopic> near = first is "+" or "#" ? ByTopic.Keys : _byFirstLevel.GetValueOrDefault(first) ?? [];
            return near.Where(t => TopicFilter.Matches(filter, t.Topic));
        }

        private static string FirstLevel(string topic) => topic.IndexOf('/') is var slash and >= 0 ? topic[..slash] : topic;
    }

    /// <summary>What <c>run</c> (and <c>decode</c>) would show after the same messages in the same order; null when no power or energy.</summary>
    private static FoundMeter? Replay(Candidate candidate, Kept kept, Settings settings)
    {
        if (SettingsFor(candidate, settings) is not { } own) return null;
        var byTopic = kept.ByTopic;
        var topics = new List<SeenTopic>();
        var seen = new HashSet<SeenTopic>(ReferenceEqualityComparer.Instance);
        foreach (string filter in own.Subscriptions)
            foreach (SeenTopic topic in kept.Matching(filter))
                if (seen.Add(topic)) topics.Add(topic);
        List<SeenMessage> replay = topics.Count == 1 ? byTopic[topics[0]] : Merged(topics.ConvertAll(t => byTopic[t]));
        var readout = new MeterReadout(own.Limits, MappedDecoder.For(own.Source));
        foreach (SeenMessage message in replay) readout.Apply(message.Topic.Topic, message.Payload);
        long messages = 0;
        foreach (SeenTopic topic in topics) messages += topic.Count;
        return ReadsPowerOrEnergy(readout) ? new FoundMeter(candidate, own, messages, readout) : null;
    }

    /// <summary>Each topic's messages are in arrival order: merged into one, by their sequence.</summary>
    private static List<SeenMessage> Merged(List<List<SeenMessage>> lists)
    {
        var merged = new List<SeenMessage>();
        var next = new int[lists.Count];
        while (true)
        {
            int oldest = -1;
            for (int i = 0; i < lists.Count; i++)
                if (next[i] < lists[i].Count && (oldest < 0 || lists[i][next[i]].Sequence < lists[oldest][next[oldest]].Sequence)) oldest = i;
            if (oldest < 0) return merged;
            merged.Add(lists[oldest][next[oldest]++]);
        }
    }

    /// <summary>A power or an energy shown at any location: one that the messages carried (nothing derives them from anything else).</summary>
    private static bool ReadsPowerOrEnergy(MeterReadout readout)
    {
        if (!readout.HasData) return false;
        for (var location = Location.Total; location <= Location.L3; location++)
            foreach (Quantity quantity in (ReadOnlySpan<Quantity>)[Quantity.Power, Quantity.EnergyForward, Quantity.EnergyReverse])
                if (!double.IsNaN(readout.Shown(location, quantity))) return true;
        return false;
    }
}
