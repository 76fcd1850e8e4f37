namespace MeterBridge.Tests.Scripts;

/// <summary>The repository's root: the folder above the test binaries that holds MeterBridge.csproj.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MeterBridge.csproj"))) return dir.FullName;
        throw new InvalidOperationException("MeterBridge.csproj not found above " + AppContext.BaseDirectory);
    }
}
