using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using MeterBridge.Config;
using MeterBridge.Core;
using MeterBridge.Detect;
using MeterBridge.Items;

namespace MeterBridge.Cli;

/// <summary>
/// <c>meterbridge detect</c>: listens to the broker for a while (<c>--topic</c>, default <c>#</c>) and prints every meter
/// it could read, best first: a comment saying what it is, the config lines that read it, and what the GX would show
/// (or, with <c>--json</c>, a JSON line per meter). Publishes nothing and never touches D-Bus. Exit 0: a meter found;
/// 1: none (the busiest topics are listed, to write a mapping from), or no broker; 2: bad flags or config.
/// </summary>
internal static class DetectCommand
{
    public const int DefaultSeconds = 15;
    public const int MaxSeconds = 600;
    public const string DefaultFilter = "#";
    private const int BusiestShown = 10;
    private const int PayloadShown = 60;

    /// <summary>The <c>detect</c> command with its own options, its action reading the shared config flags.</summary>
    public static Command Create(ConfigFlags flags, AppIo io)
    {
        var seconds = new Option<int>("--seconds")
        {
            HelpName = "N",
            Description = $"How long to listen, 1 to {MaxSeconds} seconds (default {DefaultSeconds}).",
            DefaultValueFactory = _ => DefaultSeconds,
            CustomParser = ParseSeconds,
        };
        var json = new Option<bool>("--json") { Description = "One JSON object per meter and line instead of config lines." };
        var detect = new Command("detect",
            $"Listen to the broker (--topic, default {DefaultFilter}) and print every meter found: the config lines that read it and what the GX would show. Publishes nothing.");
        detect.Options.Add(seconds);
        detect.Options.Add(json);
        bool progress = ReferenceEquals(io.Out, Console.Out) && !Console.IsOutputRedirected;
        detect.SetAction((parse, ct) => RunAsync(flags.Read(parse, io), parse.GetValue(seconds), parse.GetValue(json), progress, io, ct));
        return detect;
    }

    /// <summary>
    /// Reads <c>--seconds</c> and checks its range in one step. A validator reading the value
    /// (<c>GetValueOrDefault</c>) would throw on text that is no number (System.CommandLine runs validators even
    /// after a failed conversion): the process aborted on <c>--seconds abc</c>.
    /// </summary>
    private static int ParseSeconds(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (ValueText.TryInt(text, 1, MaxSeconds, out int seconds)) return seconds;
        result.AddError($"--seconds {ValueText.Quote(text)} is not a whole number of seconds 1 to {MaxSeconds}");
        return DefaultSeconds;
    }

    public static async Task<int> RunAsync(SettingsInput input, int seconds, bool json, bool progress, AppIo io, CancellationToken stop)
    {
        SettingsLoad load = SettingsLoader.Load(input);
        Diagnostics.Write(load, io.Error);
        if (!load.Ok) return ExitCodes.BadConfiguration;
        Settings settings = load.Settings;
        string filter = input.Flags.GetValueOrDefault("topic") ?? DefaultFilter;

        string where = $"{settings.BrokerAddress}:{settings.BrokerPort}";
        void Progress(TopicLog log) => io.Out.Write($"\rlistening to {where} {filter}: {log.Messages} messages on {log.TopicCount} topics, "
            + $"{DetectSession.Found(log, settings).Count} meters so far ");
        var (meters, problem, log) = await DetectSession.RunAsync(settings, filter, TimeSpan.FromSeconds(seconds), progress ? Progress : _ => { }, stop);
        if (progress) io.Out.Write("\r" + new string(' ', 100) + "\r");
        if (problem is not null)
        {
            io.Error.WriteLine(problem);
            if (log.Messages == 0) return ExitCodes.RuntimeFailure;
        }

        foreach (FoundMeter meter in meters)
            if (json) io.Out.WriteLine(DetectJson.Of(meter));
            else WriteText(meter, io.Out);
        if (meters.Count > 0)
        {
            if (!json) io.Out.WriteLine($"# {meters.Count} meter{(meters.Count == 1 ? "" : "s")} in {log.Messages} messages on {log.TopicCount} topics ({seconds} s)"
                + (log.Evicted > 0 ? $"; {log.Evicted} older messages of busy topics were not kept (a shorter --seconds or a narrower --topic keeps all)" : ""));
            return ExitCodes.Ok;
        }
        WriteBusiest(log, seconds, json ? io.Error : io.Out);
        return ExitCodes.RuntimeFailure;
    }

    private static void WriteText(FoundMeter meter, TextWriter output)
    {
        Candidate candidate = meter.Candidate;
        output.WriteLine($"# {candidate.Kind}: {Phases(meter.Phases)}, {meter.Messages} message{(meter.Messages == 1 ? "" : "s")}");
        output.WriteLine($"format = {candidate.Format}");
        output.WriteLine($"topic = {candidate.Topic}");
        if (candidate.Channel != 0) output.WriteLine($"channel = {candidate.Channel}");
        if (candidate.Mapping.Count > 0)
        {
            output.WriteLine($"[{MappingSection.Name}]");
            foreach (var (key, rule) in candidate.Mapping) output.WriteLine($"{key} = {rule}");
        }
        output.WriteLine("# the GX would show: " + Shown(meter.Readout));
        output.WriteLine();
    }

    private static string Phases(int phases) => phases == 1 ? "1 phase" : $"{phases} phases";

    /// <summary>The total power, each phase's power, the energies: <c>3039.5 W (L1 2407.9 W, …), energy forward 20.27 kWh, energy reverse 1.22 kWh</c>; an energy the meter lacks is left out.</summary>
    private static string Shown(MeterReadout readout)
    {
        var text = new StringBuilder(Text(readout, Location.Total, Quantity.Power));
        var phases = new List<string>();
        for (var phase = Location.L1; phase <= Location.L3; phase++)
            if (readout.Table.IsPresent(MeterPaths.Measurement(phase, Quantity.Power)) && readout.Table[MeterPaths.NrOfPhases].AsInt32 > 1)
                phases.Add($"{phase} {Text(readout, phase, Quantity.Power)}");
        if (phases.Count > 0) text.Append(" (").AppendJoin(", ", phases).Append(')');
        foreach (var (quantity, name) in new[] { (Quantity.EnergyForward, "forward"), (Quantity.EnergyReverse, "reverse") })
            if (!double.IsNaN(readout.Shown(Location.Total, quantity)))
                text.Append(", energy ").Append(name).Append(' ').Append(Text(readout, Location.Total, quantity));
        return text.ToString();
    }

    private static string Text(MeterReadout readout, Location location, Quantity quantity)
    {
        int row = MeterPaths.Measurement(location, quantity);
        return ItemText.ToString(readout.Table[row], readout.Table.Defs[row].Format);
    }

    /// <summary>No meter: the topics with the most messages and the start of their newest payload, to write a mapping from.</summary>
    private static void WriteBusiest(TopicLog log, int seconds, TextWriter output)
    {
        output.WriteLine($"# no meter found in {log.Messages} messages on {log.TopicCount} topics ({seconds} s)"
            + (log.TopicCount == 0 ? "" : "; the busiest topics (messages, topic, newest payload):"));
        // Picked under the log's lock (the listener may still add): the busiest ten by selection, not OrderBy/ThenBy/Take/
        // Select into a tuple (LINQ over a value type cost the binary 14 KB, and List.Sort another 20 KB of sort helpers).
        var lines = log.Read(topics =>
        {
            var sorted = new SeenTopic[topics.Count];
            int n = 0;
            foreach (SeenTopic t in topics) sorted[n++] = t;
            var shown = new List<string>(BusiestShown);
            for (int i = 0; i < n && i < BusiestShown; i++)
            {
                int best = i;
                for (int j = i + 1; j < n; j++)
                    if (IsBusier(sorted[j], sorted[best])) best = j;
                (sorted[i], sorted[best]) = (sorted[best], sorted[i]);
                shown.Add($"# {sorted[i].Count,6}  {sorted[i].Topic}  {Start(sorted[i].Payload)}");
            }
            return shown;
        });
        foreach (string line in lines) output.WriteLine(line);
    }

    /// <summary>Most messages first, then by topic (ordinal).</summary>
    private static bool IsBusier(SeenTopic a, SeenTopic b) =>
        a.Count != b.Count ? a.Count > b.Count : string.CompareOrdinal(a.Topic, b.Topic) < 0;

    private static string Start(byte[]? payload)
    {
        if (payload is null) return "(too large to keep)";
        string text = Encoding.UTF8.GetString(payload, 0, Math.Min(payload.Length, PayloadShown * 4)).ReplaceLineEndings(" ");
        return text.Length > PayloadShown ? text[..PayloadShown] + "…" : text;
    }
}
