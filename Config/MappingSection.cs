using MeterBridge.Config.Ini;
using MeterBridge.Sources;

namespace MeterBridge.Config;

/// <summary>
/// The <c>[MAPPING]</c> section and the source it makes with <c>format</c>, <c>topic</c> and <c>channel</c> (docs/sources.md),
/// compiled once at start. Only the section's own keys are rules: the [DEFAULT] keys configparser shows in every
/// section are not. A Shelly preset makes an unset <c>timeout</c> 120 s: Shellys report on change only.
/// The compiler's problems are worded here, where it is known where each value was written.
/// </summary>
internal static class MappingSection
{
    public const string Name = "MAPPING";
    public const double ShellyTimeout = 120;

    public static Settings Apply(IniFile? file, Settings settings, Dictionary<string, ValueOrigin> origins, List<string> problems)
    {
        var entries = new List<MappingEntry>();
        var entryOrigins = new Dictionary<MappingEntry, ValueOrigin>(ReferenceEqualityComparer.Instance);
        if (file?.Section(Name) is { } section)
            foreach (IniEntry entry in section.Entries)
            {
                IniValue value = file.Get(Name, entry.Key)!;
                var origin = ValueOrigin.File(file.FileName, entry.Line, entry.Key);
                if (value.InterpolationError is { } bad)
                {
                    problems.Add($"{origin.Where} {ValueText.Quote(entry.RawValue)}: {bad}");
                    continue;
                }
                var mapping = new MappingEntry(entry.Key, value.Value, origin.Source, entry.Line);
                entries.Add(mapping);
                entryOrigins[mapping] = origin;
            }

        var found = new List<SourceProblem>();
        var source = SourceCompiler.Compile(settings.Format, settings.Topic, settings.Channel, entries, found);
        foreach (SourceProblem problem in found)
        {
            ValueOrigin origin = problem.Entry is { } entry ? entryOrigins[entry] : origins[problem.Key];
            problems.Add(origin.Message(problem.Value, problem.Phrase));
        }

        settings = settings with { Source = source };
        if (Presets.IsShelly(settings.Format) && origins["timeout"].Source == ValueOrigin.DefaultSource)
        {
            origins["timeout"] = new ValueOrigin("default of format " + settings.Format, "timeout =");
            settings = settings with { Timeout = ShellyTimeout };
        }
        return settings;
    }
}
