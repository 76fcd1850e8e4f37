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

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MeterBridge.csproj")))
                    return dir.FullName;
            throw new InvalidOperationException("MeterBridge.csproj not found above " + AppContext.BaseDirectory);
        }
    }

    public static string PythonSample =>
        Path.Combine(RepositoryRoot, "tests", "MeterBridge.Tests", "Config", "dbus-mqtt-grid.config.sample.ini");

    public static string OwnSample => Path.Combine(RepositoryRoot, "config.sample.ini");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
