using System.Globalization;
using System.Text;
using MeterBridge.Config;
using MeterBridge.Config.Ini;
using MeterBridge.Items;

namespace MeterBridge.GxApp;

/// <summary>
/// A meter's settings as the app.ini its <c>run</c> reads, and what is wrong with a setting, in the setting's name. Pure:
/// the file is written by <see cref="AppIniFile"/>. Each value goes into its key's home section, '%' doubled (the ini
/// reader interpolates, as configparser does), the Mapping's lines into [MAPPING].
/// </summary>
internal static class AppIni
{
    /// <summary>The generated text, and which setting each line holds (so a problem the loader finds on a line names it).</summary>
    internal sealed class Text(string content, IReadOnlyDictionary<int, string> settingOfLine)
    {
        public string Content { get; } = content;
        public IReadOnlyDictionary<int, string> SettingOfLine { get; } = settingOfLine;
    }

    public static string Escape(string value) => value.Replace("%", "%%");

    /// <summary>The app.ini of meter <paramref name="instance"/>; the values are valid (<see cref="Problem"/> said nothing).</summary>
    public static Text Generate(int instance, IReadOnlyDictionary<string, BusValue> values, IReadOnlyList<CarriedKey> carried, string? dbusAddress)
    {
        var defaults = new List<(string Line, string Setting)> { ($"device_instance = {instance}", "") };
        var mqtt = new List<(string Line, string Setting)>();
        if (dbusAddress is not null) mqtt.Add(($"dbus_address = {Escape(dbusAddress)}", ""));
        foreach (MeterSetting setting in MeterSettings.All)
        {
            if (setting.ConfigKey is not { } name || ConfigKeys.Find(name) is not { } key) continue;
            BusValue value = ValueOf(setting, values);
            if (setting.Unset is { } unset && value.Number == unset && value.Type != BusType.String) continue;
            (key.Home == KeyHome.Default ? defaults : mqtt).Add(($"{name} = {Escape(Show(value))}", setting.Name));
        }
        foreach (CarriedKey carriedKey in carried)
        {
            if (ConfigKeys.Find(carriedKey.Key) is not { } key || MeterSettings.ByConfigKey(key.Name) is not null || IsOurs(key.Name)) continue;
            (key.Home == KeyHome.Default ? defaults : mqtt).Add(($"{key.Name} = {Escape(carriedKey.Value)}", "config.ini " + key.Name));
        }

        var text = new StringBuilder("# Written by meterbridge app from its settings (/Settings/MeterBridge/")
            .Append(instance.ToString(CultureInfo.InvariantCulture)).Append("): edit those, not this file.\n");
        var lines = new Dictionary<int, string>();
        int line = 1;
        void Section(string name, List<(string Line, string Setting)> entries)
        {
            text.Append('[').Append(name).Append("]\n");
            line++;
            foreach (var (entry, setting) in entries)
            {
                text.Append(entry).Append('\n');
                lines[++line] = setting;
            }
        }
        Section(IniFile.DefaultSectionName, defaults);
        Section(SettingsLoader.MqttSection, mqtt);
        var mapping = MappingEntries(ValueOf(MeterSettings.All.First(s => s.Name == MeterSettings.Mapping), values).AsString);
        if (mapping.Count > 0)
        {
            var rows = new List<(string Line, string Setting)>();
            foreach (var (key, rules) in mapping)
                for (int i = 0; i < rules.Count; i++) rows.Add(((i == 0 ? key + " = " : "    ") + Escape(rules[i]), MeterSettings.Mapping));
            Section(MappingSection.Name, rows);
        }
        return new Text(text.ToString(), lines);
    }

    /// <summary>The first setting that is wrong, as one line: <c>BrokerPort 70000: is not a port number 1 to 65535</c>; null when none is.</summary>
    public static string? Problem(IReadOnlyDictionary<string, BusValue> values)
    {
        foreach (MeterSetting setting in MeterSettings.All)
            if (Problem(setting, ValueOf(setting, values)) is { } problem) return problem;
        return null;
    }

    /// <summary>What is wrong with one value of <paramref name="setting"/>, said as a line naming it; null when nothing is.</summary>
    public static string? Problem(MeterSetting setting, BusValue value)
    {
        bool numeric = setting.Type is BusType.Int32 or BusType.Double;
        if (numeric ? value.Type is not (BusType.Int32 or BusType.Double) : value.Type != BusType.String)
            return $"{setting.Name}: is not {(numeric ? "a number" : "a text")}";
        if (setting.Type == BusType.Int32 && value.Number != Math.Floor(value.Number))
            return $"{setting.Name} {Show(value)}: is not a whole number";
        string shown = setting.Silent ? PasswordText.Mask : numeric ? Show(value) : ValueText.Quote(value.AsString);
        if (setting.Name == MeterSettings.Mapping) return MappingProblem(value.AsString);
        if (value.AsString.IndexOfAny(['\n', '\r']) >= 0) return $"{setting.Name} {shown}: goes on over several lines";
        if (setting.Unset is { } unset && numeric && value.Number == unset) return null;
        if (setting.ConfigKey is { } name && ConfigKeys.Find(name) is { } key && key.Apply(new Settings(), Show(value)).Problem is { } why)
            return $"{setting.Name} {shown}: {why}";
        if (numeric && (value.Number < setting.Min || value.Number > setting.Max))
            return $"{setting.Name} {shown}: is not {Show(setting.Min!.Value)} to {Show(setting.Max!.Value)}";
        return null;
    }

    /// <summary>
    /// The problem with a problem line of <see cref="SettingsLoader"/> on the generated file (<c>app.ini:14: [MAPPING] …</c>), in
    /// the name of the setting on that line.
    /// </summary>
    public static string Reword(string problem, Text ini)
    {
        int first = problem.IndexOf(": ", StringComparison.Ordinal);
        int colon = first < 0 ? -1 : problem.LastIndexOf(':', first - 1);
        if (colon > 0 && int.TryParse(problem.AsSpan(colon + 1, first - colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int line)
            && ini.SettingOfLine.TryGetValue(line, out string? setting) && setting.Length > 0)
            return $"{setting}: {problem[(first + 2)..]}";
        return first < 0 ? problem : problem[(first + 2)..];
    }

    /// <summary>
    /// The Mapping's keys with their rules, in order: a key on several lines has several rules, written as the ini's
    /// indented continuation lines (docs/sources.md), since a key may stand only once in a section.
    /// </summary>
    public static List<(string Key, List<string> Rules)> MappingEntries(string mapping)
    {
        var entries = new List<(string Key, List<string> Rules)>();
        foreach (string line in MappingLines(mapping))
        {
            int equals = line.IndexOf('=');
            if (equals <= 0) continue;
            string key = line[..equals].Trim(), rule = line[(equals + 1)..].Trim();
            int at = entries.FindIndex(e => e.Key == key);
            if (at < 0) entries.Add((key, [rule]));
            else entries[at].Rules.Add(rule);
        }
        return entries;
    }

    /// <summary>The Mapping's rules, one a line (<c>key = rule</c>); blank lines skipped.</summary>
    public static List<string> MappingLines(string mapping) =>
        [.. mapping.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0)];

    private static string? MappingProblem(string mapping)
    {
        int number = 0;
        foreach (string line in MappingLines(mapping))
        {
            number++;
            int equals = line.IndexOf('=');
            string key = equals < 0 ? "" : line[..equals].Trim();
            if (equals < 0 || key.Length == 0 || key.IndexOfAny([':', '[', ']']) >= 0 || key[0] is '#' or ';' || line.Contains('\r'))
                return $"Mapping line {number} {ValueText.Quote(line)}: is not \"key = rule\"";
        }
        return null;
    }

    /// <summary>Keys the app sets itself, whatever a config.ini said.</summary>
    private static bool IsOurs(string key) => key is "device_instance" or "dbus_address";

    private static BusValue ValueOf(MeterSetting setting, IReadOnlyDictionary<string, BusValue> values) =>
        values.TryGetValue(setting.Name, out BusValue value) && value.IsValid ? value : setting.Default;

    private static string Show(BusValue value) => value.Type switch
    {
        BusType.Int32 => ValueText.Show(value.AsInt32),
        BusType.Double => Show(value.Number),
        _ => value.AsString,
    };

    private static string Show(double number) => number == Math.Floor(number) && Math.Abs(number) < 1e15
        ? ((long)number).ToString(CultureInfo.InvariantCulture) : ValueText.Show(number);
}
