using System.Diagnostics;

namespace MeterBridge.Tests.Scripts;

/// <summary>Runs a bash script the way a user would, with a chosen PATH and environment.</summary>
public static class Shell
{
    public static ShellResult Run(string script, IEnumerable<string> args, IDictionary<string, string>? env = null,
        string? workingDirectory = null, int timeoutSeconds = 60)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(script)!,
        };
        start.ArgumentList.Add(script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The scripts honour ROOT from the environment: never let the test runner's leak in.
        start.Environment.Remove("ROOT");
        if (env is not null)
            foreach (var (key, value) in env) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {string.Join(' ', args)} did not end within {timeoutSeconds} s");
        }
        return new ShellResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
