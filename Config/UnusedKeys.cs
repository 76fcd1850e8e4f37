using MeterBridge.Config.Ini;

namespace MeterBridge.Config;

/// <summary>Keys and sections of a config file that nothing reads: warnings, not errors, so a file with an extra
/// key (or one for a newer version) still starts, and a misspelt key is still pointed out.</summary>
internal static class UnusedKeys
{
    /// <summary>One warning per unused key or section, at most <see cref="IniFile.MaxErrors"/> and then one line
    /// that says there are more.</summary>
    public static IEnumerable<string> Find(IniFile file)
    {
        int count = 0;
        foreach (string warning in Each(file))
        {
            if (++count > IniFile.MaxErrors)
            {
                yield return $"{file.FileName}: more unused keys are not listed";
                yield break;
            }
            yield return warning;
        }
    }

    private static IEnumerable<string> Each(IniFile file)
    {
        foreach (IniEntry entry in file.Defaults.Entries)
            if (ConfigKeys.Find(entry.Key) is null)
                yield return Unknown(file, entry);

        foreach (IniSection section in file.Sections)
        {
            if (section.Name == MappingSection.Name)
                continue; // read by MappingSection, which names its own problems
            if (section.Name != SettingsLoader.MqttSection)
            {
                yield return $"{file.FileName}:{section.Line}: section [{section.Name}] is not used (keys go in [DEFAULT] and [{SettingsLoader.MqttSection}])";
                continue;
            }
            foreach (IniEntry entry in section.Entries)
            {
                ConfigKey? key = ConfigKeys.Find(entry.Key);
                if (key is null)
                    yield return Unknown(file, entry);
                else if (key.Home == KeyHome.Default)
                    yield return $"{file.FileName}:{entry.Line}: {entry.Key} is read from [DEFAULT] only (as the Python driver does); this one in [{section.Name}] is ignored";
            }
        }
    }

    private static string Unknown(IniFile file, IniEntry entry) =>
        $"{file.FileName}:{entry.Line}: unknown key {entry.Key} in [{entry.Section}] is ignored";
}
