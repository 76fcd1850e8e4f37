using MeterBridge.Config;
using MeterBridge.Config.Ini;
using MeterBridge.Items;

namespace MeterBridge.GxApp;

/// <summary>
/// A meter of the SSH route, <c>&lt;home&gt;/meter-N/config.ini</c>, read for the app: its values as the defaults of meter
/// N's settings (imported once: AddSettings keeps a value already set), and its keys that have no setting, which keep
/// coming from the file into app.ini. The file itself is never written.
/// </summary>
internal static class ConfigImport
{
    /// <summary>What the file gave: setting name → value; the carried keys; one line per value that could not be taken.</summary>
    internal sealed class Read(Dictionary<string, BusValue> values, List<CarriedKey> carried, List<string> problems)
    {
        public Dictionary<string, BusValue> Values { get; } = values;
        public List<CarriedKey> Carried { get; } = carried;
        public List<string> Problems { get; } = problems;
    }

    public static string PathOf(string home, int meter) => Path.Combine(AppIniFile.Folder(home, meter), AppIniFile.ImportName);

    /// <summary>The instances N with a <c>meter-N/config.ini</c>, ascending.</summary>
    public static SortedSet<int> Found(string home)
    {
        var found = new SortedSet<int>();
        if (!Directory.Exists(home)) return found;
        foreach (string folder in Directory.EnumerateDirectories(home, "meter-*"))
            if (int.TryParse(Path.GetFileName(folder)["meter-".Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n)
                && File.Exists(Path.Combine(folder, AppIniFile.ImportName)))
                found.Add(n);
        return found;
    }

    /// <summary>Reads a config.ini's text (pure); <paramref name="fileName"/> names it in problems.</summary>
    public static Read Parse(string text, string fileName)
    {
        var file = IniFile.Parse(text, fileName);
        var values = new Dictionary<string, BusValue>(StringComparer.Ordinal);
        var carried = new List<CarriedKey>();
        var problems = file.Errors.Select(error => ValueText.Message(fileName, error)).ToList();
        foreach (ConfigKey key in ConfigKeys.All)
        {
            IniValue? value = file.Get(key.Home == KeyHome.Default ? IniFile.DefaultSectionName : SettingsLoader.MqttSection, key.Name);
            if (value is null) continue;
            if (value.InterpolationError is { } bad)
            {
                problems.Add($"{fileName}:{value.Entry.Line}: {key.Name}: {bad}");
                continue;
            }
            if (MeterSettings.ByConfigKey(key.Name) is not { } setting)
            {
                carried.Add(new CarriedKey(key.Name, value.Value));
                continue;
            }
            if (Convert(setting, value.Value) is { } converted) values[setting.Name] = converted;
            else problems.Add($"{fileName}:{value.Entry.Line}: {key.Name} = {(key.IsSecret ? PasswordText.Mask : ValueText.Quote(value.Value))}: not imported (not a {(setting.Type == BusType.String ? "text" : "number")} the setting takes)");
        }
        if (file.Section(MappingSection.Name) is { } mapping)
        {
            var rules = new List<string>();
            foreach (IniEntry entry in mapping.Entries)
                if (file.Get(MappingSection.Name, entry.Key) is { InterpolationError: null } rule) rules.AddRange(AppIni.MappingLines(rule.Value).Select(one => $"{entry.Key} = {one}"));
            values[MeterSettings.Mapping] = BusValue.Of(string.Join("\n", rules));
        }
        return new Read(values, carried, problems);
    }

    /// <summary>The file's text as a setting's value: booleans as 0/1, numbers as numbers; null when it is not one.</summary>
    private static BusValue? Convert(MeterSetting setting, string text) => setting.Type switch
    {
        BusType.String => BusValue.Of(text),
        BusType.Int32 when setting.Max == 1 && ValueText.TryBool(text, out bool flag) => BusValue.Of(flag ? 1 : 0),
        BusType.Int32 when ValueText.TryInt(text, int.MinValue, int.MaxValue, out int number) => BusValue.Of(number),
        BusType.Double when ValueText.TryDouble(text, out double number) => BusValue.Of(number),
        _ => null,
    };
}
