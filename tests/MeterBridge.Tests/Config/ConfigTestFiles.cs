using MeterBridge.Tests.Infrastructure;
namespace MeterBridge.Tests.Config;

/// <summary>Files for the config tests: the repository's own, and scratch files in a fresh temp folder.</summary>
public sealed class ConfigTestFiles : IDisposable
{
    public ConfigTestFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "meterbridge-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    /// <summary>An empty folder of this test; also used as "the binary's folder" so no stray config.ini is found.</summary>
    public string Folder { get; }

    public string Write(string name, string text)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public static string PythonSample =>
        Path.Combine(RepoPaths.Root, "tests", "MeterBridge.Tests", "Config", "dbus-mqtt-grid.config.sample.ini");

    public static string OwnSample => Path.Combine(RepoPaths.Root, "config.sample.ini");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
