using System.Text.RegularExpressions;
using MeterBridge.Items;
using MeterBridge.Tests.Infrastructure;

namespace MeterBridge.Tests.Gui;

/// <summary>
/// The paths the GUI may use, read from the contract itself: docs/gx-app.md (the app's settings and its control
/// service), docs/dbus.md (a meter's settings under /Settings/Devices/mqtt_N/) and <see cref="MeterPaths"/> (a meter's
/// own service). Keys are "service path" with instances written N, as the pages' recorded uids are normalised.
/// </summary>
public sealed partial class GuiContract
{
    public const string Settings = "com.victronenergy.settings";
    public const string Control = "com.victronenergy.meterbridge";
    public static readonly string[] MeterServices = ["grid", "genset", "acload", "heatpump", "pvinverter"];

    /// <summary>A path of the contract: its D-Bus type letter ("" when the table gives none) and whether a client may write it.</summary>
    public sealed record Entry(string Type, bool Writable);

    public Dictionary<string, Entry> Paths { get; } = [];

    public GuiContract()
    {
        var app = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "gx-app.md"));
        var section = "";
        foreach (var line in app)
        {
            if (line.StartsWith("## ")) section = line;
            var cells = Cells(line);
            if (cells is null) continue;
            if (section.Contains("Settings"))
            {
                // Rows are either a full path (/Settings/MeterBridge/Meters) or one meter's setting (BrokerAddress).
                var setting = Backticked(cells[0]).Single();
                var path = setting.StartsWith('/') ? setting : "/Settings/MeterBridge/N/" + setting;
                Paths[$"{Settings} {path}"] = new Entry(cells[1], true);
            }
            else if (section.Contains("control service"))
            {
                foreach (var path in Backticked(cells[0]).Where(p => p.StartsWith('/')))
                    Paths[$"{Control} {path}"] = new Entry(cells[1], cells[2] == "w");
            }
        }

        section = "";
        foreach (var line in File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "dbus.md")))
        {
            if (line.StartsWith("## ")) section = line;
            if (section != "## Settings (on a GX)") continue;
            var cells = Cells(line);
            if (cells is null) continue;
            var type = Backticked(cells[1]).FirstOrDefault() ?? "";
            Paths[$"{Settings} /Settings/Devices/mqtt_N/{Backticked(cells[0]).Single()}"] = new Entry(type, true);
        }

        foreach (var service in MeterServices)
            foreach (var item in MeterPaths.All)
                Paths[$"com.victronenergy.{service} {item.Path}"] = new Entry("", item.Writable);
    }

    /// <summary>"com.victronenergy.settings /Settings/MeterBridge/100/Topic" → "… /Settings/MeterBridge/N/Topic".</summary>
    public static string Normalise(string key) => Instance().Replace(MqttInstance().Replace(key, "mqtt_N"), "N");

    /// <summary>Whether a value of the recorded JS type ("int", "double", "string") fits a D-Bus type letter.</summary>
    public static bool TypeFits(string letter, string recorded) => letter switch
    {
        "i" => recorded == "int",
        "s" => recorded == "string",
        "d" => recorded is "int" or "double",   // a JS number has no int/double: gui-v2's own spin boxes write the same
        _ => false,
    };

    private static string[]? Cells(string line)
    {
        if (!line.StartsWith("| `")) return null;
        return line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
    }

    private static IEnumerable<string> Backticked(string cell) => Tick().Matches(cell).Select(m => m.Groups[1].Value);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Tick();

    [GeneratedRegex(@"(?<=/)\d+(?=/|$)")]
    private static partial Regex Instance();

    [GeneratedRegex(@"mqtt_\d+")]
    private static partial Regex MqttInstance();
}
