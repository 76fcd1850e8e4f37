namespace MeterBridge.Cli;

/// <summary>The process exit codes (documented in the README; daemontools and scripts go by them).</summary>
internal static class ExitCodes
{
    /// <summary>A clean stop (SIGTERM, Ctrl+C), or a command that did what it was asked.</summary>
    public const int Ok = 0;
    /// <summary>Failure while running (an unexpected error, or <c>timeout_action = exit</c>).</summary>
    public const int RuntimeFailure = 1;
    /// <summary>Bad configuration or flags: nothing was started.</summary>
    public const int BadConfiguration = 2;
    /// <summary>The D-Bus service name is already taken (another instance is running).</summary>
    public const int NameTaken = 3;
}
