namespace MeterBridge.Tests.Scripts;

/// <summary>
/// A NuGet feed of the test's own for build-linux-arm.sh's probe, which restores in a folder under TMPDIR: a
/// nuget.config there (NuGet reads the one nearest the project) with only the given source, and an empty global
/// packages folder, so nothing comes from the machine's cache. An empty folder is a feed that serves no packs,
/// on every machine; a closed port is a feed that cannot be asked.
/// </summary>
public sealed class IsolatedNuGetFeed : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mb-feed-").FullName;

    public IsolatedNuGetFeed(string? source = null)
    {
        string tmp = Directory.CreateDirectory(Path.Combine(_root, "tmp")).FullName;
        source ??= Directory.CreateDirectory(Path.Combine(_root, "empty-source")).FullName;
        File.WriteAllText(Path.Combine(tmp, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="test" value="{source}" />
              </packageSources>
            </configuration>
            """);
        Environment = new Dictionary<string, string>
        {
            ["TMPDIR"] = tmp,
            ["NUGET_PACKAGES"] = Directory.CreateDirectory(Path.Combine(_root, "packages")).FullName,
        };
    }

    /// <summary>A feed that refuses the connection at once: nothing listens on the discard port.</summary>
    public static IsolatedNuGetFeed Unreachable() => new("http://127.0.0.1:9/v3/index.json");

    /// <summary>The variables that point the probe at this feed.</summary>
    public IDictionary<string, string> Environment { get; }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
