using System.Text.Json;
using System.Text.RegularExpressions;
using MeterBridge.Sources;
using MeterBridge.Tests.Infrastructure;
using MeterBridge.Tests.Scripts;
using Xunit;

namespace MeterBridge.Tests.Gui;

/// <summary>
/// The GUI v2 plugin (gx/gui-v2) where no GX and no gui-v2 build exist: qmllint against the stub Victron.VenusOS
/// module, the pages run by qmltestrunner on the D-Bus and MQTT backends, every uid they read and every value they
/// write checked against the contract, and the plugin JSON the packer builds. A missing Qt tool fails.
/// </summary>
public sealed class GuiPluginTests(GuiRun run) : IClassFixture<GuiRun>
{
    private static readonly string GuiDir = Path.Combine(RepoPaths.Root, "tests", "gui");
    private static readonly string PagesDir = Path.Combine(RepoPaths.Root, "gx", "gui-v2");
    private static readonly GuiContract Contract = new();

    private static string[] Pages => Directory.GetFiles(PagesDir, "*.qml").Select(Path.GetFileName).ToArray()!;

    [Fact]
    public void Qmllint_finds_nothing_on_any_page()
    {
        var result = Shell.Run(Path.Combine(GuiDir, "lint.sh"), [], timeoutSeconds: 180);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"qmllint: {Pages.Length} files clean", result.Stdout.Trim());
    }

    [Fact]
    public void Qmllint_fails_a_page_that_binds_a_property_the_component_does_not_have()
    {
        var dir = Directory.CreateTempSubdirectory("mb-lint-").FullName;
        try
        {
            var bad = Path.Combine(dir, "Bad.qml");
            File.WriteAllText(bad, "import QtQuick\nimport Victron.VenusOS\nPage {\n\tListText { secondaryTxt: \"x\" }\n}\n");
            var result = Shell.Run(Path.Combine(GuiDir, "lint.sh"), [bad], timeoutSeconds: 120);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("Bad.qml:4:", result.Stdout);
            Assert.Contains("secondaryTxt", result.Stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Every_page_test_passes_on_both_backends_and_none_is_skipped()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result + "\n" + run.Output);
        var totals = Regex.Match(run.Output, @"^Totals: (\d+) passed, (\d+) failed, (\d+) skipped, (\d+) blacklisted", RegexOptions.Multiline);
        Assert.True(totals.Success, run.Output);
        Assert.Equal("0", totals.Groups[2].Value);
        Assert.Equal("0", totals.Groups[3].Value);
        Assert.Equal("0", totals.Groups[4].Value);

        // Each test function of tst_pages.qml passed by name, a data-driven one on both backends.
        var qml = File.ReadAllText(Path.Combine(GuiDir, "tst_pages.qml"));
        var functions = Regex.Matches(qml, @"function (test_\w+)\(").Select(m => m.Groups[1].Value).ToHashSet();
        var dataDriven = functions.Where(f => f.EndsWith("_data")).Select(f => f[..^"_data".Length]).ToHashSet();
        Assert.True(functions.Count > 10, "too few test functions found in tst_pages.qml");
        foreach (var function in functions.Where(f => !f.EndsWith("_data")))
        {
            string[] names = dataDriven.Contains(function) ? [$"{function}(dbus)", $"{function}(mqtt)"] : [$"{function}()"];
            foreach (var name in names)
                Assert.Contains($"PASS   : qmltestrunner::Pages::{name}", run.Output);
        }
    }

    [Fact]
    public void The_pages_read_the_same_paths_on_the_dbus_and_the_mqtt_backend()
    {
        var dbus = run.Lines("uids-dbus.txt");
        var mqtt = run.Lines("uids-mqtt.txt");

        Assert.True(dbus.Length >= 30, $"only {dbus.Length} uids recorded:\n{string.Join('\n', dbus)}");
        Assert.Equal(dbus, mqtt);
    }

    [Fact]
    public void Every_uid_a_page_reads_is_a_path_of_our_services()
    {
        var unknown = run.Lines("uids-dbus.txt").Concat(run.Lines("uids-mqtt.txt"))
            .Select(GuiContract.Normalise)
            .Where(key => !Contract.Paths.ContainsKey(key))
            .Distinct()
            .ToList();

        Assert.True(unknown.Count == 0, "not in docs/gx-app.md, docs/dbus.md or MeterPaths:\n" + string.Join('\n', unknown));
    }

    [Fact]
    public void The_meter_page_reads_every_setting_of_a_meter()
    {
        var read = run.Lines("uids-dbus.txt").Select(GuiContract.Normalise).ToHashSet();
        var perMeter = Contract.Paths.Keys
            .Where(k => k.StartsWith($"{GuiContract.Settings} /Settings/MeterBridge/N/"))
            .ToList();

        Assert.True(perMeter.Count >= 13, "the settings table of docs/gx-app.md was not found");
        Assert.All(perMeter, k => Assert.Contains(k, read));
        Assert.Contains($"{GuiContract.Settings} /Settings/Devices/mqtt_N/ClassAndVrmInstance", read);
        Assert.Contains($"{GuiContract.Settings} /Settings/Devices/mqtt_N/CustomName", read);
    }

    [Fact]
    public void Every_write_goes_to_a_writable_path_with_a_value_of_its_type()
    {
        foreach (var backend in (string[])["dbus", "mqtt"])
        {
            var writes = run.Lines($"writes-{backend}.txt");
            Assert.True(writes.Length >= 15, $"{backend}: only {writes.Length} writes recorded");
            foreach (var line in writes)
            {
                // "service path type value"
                var parts = line.Split(' ', 4);
                var key = GuiContract.Normalise(parts[0] + " " + parts[1]);
                Assert.True(Contract.Paths.TryGetValue(key, out var entry), $"{backend}: write to a path not in the contract: {line}");
                Assert.True(entry.Writable, $"{backend}: write to a read-only path: {line}");
                Assert.True(GuiContract.TypeFits(entry.Type, parts[2]), $"{backend}: a {parts[2]} written to a '{entry.Type}' path: {line}");
            }
        }
    }

    [Fact]
    public void The_format_choices_are_the_formats_run_accepts()
    {
        string[] expected = [Presets.SeedFormat, .. Presets.All.Keys, Presets.Custom];

        Assert.Equal(expected.Order(), run.Lines("formats.txt").Order());
    }

    [Fact]
    public void The_screenshots_are_pngs_of_a_few_hundred_kilobytes_at_most()
    {
        foreach (var name in (string[])["gui-settings.png", "gui-meter.png", "gui-detect.png"])
        {
            var png = File.ReadAllBytes(Path.Combine(run.Dir, name));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.InRange(png.Length, 5_000, 300_000);
        }
    }

    [Fact]
    public void The_packed_plugin_is_the_json_gui_v2_loads_with_every_page_under_its_prefix()
    {
        var dir = Directory.CreateTempSubdirectory("mb-pack-").FullName;
        try
        {
            var json = Path.Combine(dir, "MeterBridge.json");
            var result = Shell.Run(Path.Combine(RepoPaths.Root, "scripts", "pack-gui-plugin.sh"), [json], timeoutSeconds: 120);
            Assert.True(result.ExitCode == 0, result.ToString());

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            Assert.Equal("MeterBridge", root.GetProperty("name").GetString());
            var version = Regex.Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "MeterBridge.csproj")), "<Version>(.+?)</Version>").Groups[1].Value;
            Assert.Equal(version, root.GetProperty("version").GetString());

            var integrations = root.GetProperty("integrations").EnumerateArray().ToList();
            Assert.Equal(2, integrations.Count);
            Assert.Equal(1, integrations[0].GetProperty("type").GetInt32());
            Assert.Equal("qrc:/MeterBridge/MeterBridgeSettings.qml", integrations[0].GetProperty("url").GetString());
            Assert.Equal(2, integrations[1].GetProperty("type").GetInt32());
            // Compared case-insensitively with Utils.toHexFormat(device.productId): "0x" + hex.
            Assert.Equal("0xFFFF", integrations[1].GetProperty("productId").GetString());
            Assert.Equal("qrc:/MeterBridge/MeterDevicePage.qml", integrations[1].GetProperty("url").GetString());
            Assert.False(string.IsNullOrEmpty(integrations[1].GetProperty("title").GetString()));

            var rcc = Convert.FromBase64String(root.GetProperty("resource").GetString()!);
            var files = RccReader.Files(rcc);
            var sources = Directory.GetFiles(PagesDir).Where(f => f.EndsWith(".qml") || f.EndsWith(".js")).ToList();
            Assert.Equal(sources.Select(f => "/MeterBridge/" + Path.GetFileName(f)).Order(), files.Keys.Order());
            foreach (var source in sources)
                Assert.Equal(File.ReadAllBytes(source), files["/MeterBridge/" + Path.GetFileName(source)]);
            foreach (var integration in integrations)
                Assert.Contains(integration.GetProperty("url").GetString()!["qrc:".Length..], files.Keys);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_packer_fails_when_rcc_is_missing()
    {
        var dir = Directory.CreateTempSubdirectory("mb-pack-").FullName;
        try
        {
            var json = Path.Combine(dir, "MeterBridge.json");
            var result = Shell.Run(Path.Combine(RepoPaths.Root, "scripts", "pack-gui-plugin.sh"), [json],
                new Dictionary<string, string> { ["RCC"] = Path.Combine(dir, "no-rcc") }, timeoutSeconds: 60);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("rcc not found", result.Stderr);
            Assert.False(File.Exists(json));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
