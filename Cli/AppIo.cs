namespace MeterBridge.Cli;

/// <summary>What the command line talks to: the console and the process environment, or test doubles.</summary>
public sealed record AppIo(
    TextReader In,
    TextWriter Out,
    TextWriter Error,
    Func<string, string?> GetEnvironmentVariable,
    string? BinaryDirectory)
{
    public static AppIo Process() => new(
        Console.In,
        Console.Out,
        Console.Error,
        Environment.GetEnvironmentVariable,
        Path.GetDirectoryName(Environment.ProcessPath));
}
