using MeterBridge.Config;
using MeterBridge.Core;
using MeterBridge.Items;
using MeterBridge.Sources;

namespace MeterBridge.Detect;

/// <summary>
/// From the topics seen to the meters found, with no I/O. Every topic's newest payload goes through the recognisers
/// (Shelly topics, JSON shapes, numbers on named topics), which guess a format, topic, channel and mapping. A guess is
/// confirmed the way <c>run</c> would read it: its settings are compiled by <see cref="SourceCompiler"/>, the newest
/// message of every topic its rules subscribe to is fed, in order of arrival, to a fresh meter, and the GX would then
/// show a power or an energy.
/// </summary>
internal static class Detector
{
    public static List<FoundMeter> Find(IReadOnlyCollection<SeenTopic> seen, Settings settings)
    {
        var ordered = seen.Where(t => t.Payload is not null).OrderBy(t => t.Sequence).ToList();
        var candidates = new List<Candidate>();
        var numbers = new NumberTopics();
        foreach (SeenTopic topic in ordered)
        {
            if (ShellyTopics.Recognise(topic.Topic, topic.Payload!, candidates) || NotMeters.Ignored(topic.Topic)) continue;
            if (!JsonPayloads.Recognise(topic.Topic, topic.Payload!, candidates)) numbers.Add(topic.Topic, topic.Payload!);
        }
        candidates.AddRange(numbers.Candidates());
        ShellyTopics.MergeGen1(candidates);

        var found = new List<FoundMeter>();
        foreach (Candidate candidate in candidates.DistinctBy(c => c.Key))
            if (Confirm(candidate, ordered, settings) is { } meter) found.Add(meter);
        return [.. found
            .OrderBy(m => m.Candidate.Format == Presets.Custom)
            .ThenBy(m => !m.ShowsPower)
            .ThenByDescending(m => m.Messages)
            .ThenBy(m => m.Candidate.Topic, StringComparer.Ordinal)
            .ThenBy(m => m.Candidate.Channel)];
    }

    /// <summary>The candidate's settings, as <c>run</c> would build them from its config lines; null when they do not compile.</summary>
    public static Settings? SettingsFor(Candidate candidate, Settings settings)
    {
        var problems = new List<SourceProblem>();
        var mapping = candidate.Mapping.Select((m, i) => new MappingEntry(m.Key, m.Rule, "detect", i + 1)).ToList();
        MappedSource? source = SourceCompiler.Compile(candidate.Format, candidate.Topic, candidate.Channel, mapping, problems);
        if (problems.Count > 0 || TopicFilter.Problem(candidate.Topic) is not null) return null;
        return settings with { Format = candidate.Format, Topic = candidate.Topic, Channel = candidate.Channel, Source = source };
    }

    private static FoundMeter? Confirm(Candidate candidate, List<SeenTopic> ordered, Settings settings)
    {
        if (SettingsFor(candidate, settings) is not { } own) return null;
        var readout = new MeterReadout(own.Limits, MappedDecoder.For(own.Source));
        long messages = 0;
        foreach (SeenTopic topic in ordered)
        {
            if (!own.Subscriptions.Any(filter => TopicFilter.Matches(filter, topic.Topic))) continue;
            messages += topic.Count;
            readout.Apply(topic.Topic, topic.Payload);
        }
        return ReadsPowerOrEnergy(readout) ? new FoundMeter(candidate, own, messages, readout) : null;
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
