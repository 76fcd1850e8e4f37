namespace MeterBridge.Tests.Infrastructure;

/// <summary>Where the repository, the shared specs and the published binary are, wherever the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>shared/ lies beside the repository (in CI: a copy beside the clone). MB_SHARED overrides.</summary>
    public static string Shared => Environment.GetEnvironmentVariable("MB_SHARED") is { Length: > 0 } shared
        ? shared
        : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Vectors => Path.Combine(Shared, "vectors", "payloads.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MeterBridge.csproj"))) return dir.FullName;
        throw new InvalidOperationException("MeterBridge.csproj not found above " + AppContext.BaseDirectory);
    }
}
