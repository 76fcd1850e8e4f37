using System.Diagnostics;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// The shipped binary: the native AOT build of meterbridge for this machine. MB_BINARY names one;
/// otherwise out/linux-x64/meterbridge (what .ci/run publishes) is used, and published once if missing.
/// </summary>
public static class AotBinary
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("MB_BINARY") is { Length: > 0 } given) return given;
        string path = System.IO.Path.Combine(RepoPaths.Root, "out", "linux-x64", "meterbridge");
        if (File.Exists(path)) return path;

        using var publish = Process.Start(new ProcessStartInfo("dotnet",
            ["publish", System.IO.Path.Combine(RepoPaths.Root, "MeterBridge.csproj"), "-c", "Release", "-r", "linux-x64", "-o", System.IO.Path.GetDirectoryName(path)!])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        string output = publish.StandardOutput.ReadToEnd() + publish.StandardError.ReadToEnd();
        publish.WaitForExit();
        if (publish.ExitCode != 0 || !File.Exists(path)) throw new InvalidOperationException("dotnet publish failed:\n" + output);
        return path;
    }

    /// <summary>Runs the binary to completion with the given standard input; returns exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(IEnumerable<string> args, string? stdin = null, int timeoutMs = 30000) =>
        Run(args, stdin is null ? null : System.Text.Encoding.UTF8.GetBytes(stdin), timeoutMs);

    /// <summary>The same with standard input given as bytes, exactly as written (invalid UTF-8 included).</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(IEnumerable<string> args, byte[]? stdin, int timeoutMs = 30000)
    {
        using var process = Process.Start(new ProcessStartInfo(Path, args)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin != null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill();
            throw new TimeoutException($"meterbridge {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
