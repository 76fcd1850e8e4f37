namespace MeterBridge.Tests.Infrastructure;

/// <summary>Where the repository, its test vectors and the published binary are, wherever the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The repository's own copies of the vectors: a clone needs nothing beside it.</summary>
    public static string VectorsDir => Path.Combine(Root, "tests", "vectors");

    public static string PayloadVectors => Path.Combine(VectorsDir, "payloads.json");

    public static string SourceVectors => Path.Combine(VectorsDir, "sources.json");

    /// <summary>
    /// Where the project's upstream vectors lie on our own machines and in CI (a folder shared/ beside the clone);
    /// only <c>VectorCopyTests</c> looks there, to notice when a copy falls behind. MB_SHARED overrides.
    /// </summary>
    public static string UpstreamVectorsDir => Path.Combine(
        Environment.GetEnvironmentVariable("MB_SHARED") is { Length: > 0 } shared ? shared : Path.Combine(Root, "..", "shared"),
        "vectors");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MeterBridge.csproj"))) return dir.FullName;
        throw new InvalidOperationException("MeterBridge.csproj not found above " + AppContext.BaseDirectory);
    }
}
