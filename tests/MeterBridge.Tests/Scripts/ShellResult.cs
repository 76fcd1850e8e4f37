namespace MeterBridge.Tests.Scripts;

/// <summary>What a script run printed and how it ended.</summary>
public sealed record ShellResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}
