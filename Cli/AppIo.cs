namespace MeterBridge.Cli;

/// <summary>What the command line talks to: the console and the process environment, or test doubles.</summary>
internal sealed record AppIo(
    TextReader In,
    TextWriter Out,
    TextWriter Error,
    Func<string, string?> GetEnvironmentVariable,
    string? BinaryDirectory)
{
    /// <summary>Standard input as bytes, for <c>decode</c>; null: <see cref="In"/>'s text as UTF-8 (in-process tests).</summary>
    public Stream? InBytes { get; init; }

    public Stream OpenInput() => InBytes ?? new MemoryStream(System.Text.Encoding.UTF8.GetBytes(In.ReadToEnd()));

    public static AppIo Process() => new(
        Console.In,
        Console.Out,
        Console.Error,
        Environment.GetEnvironmentVariable,
        Path.GetDirectoryName(Environment.ProcessPath))
    {
        InBytes = Console.OpenStandardInput(),
    };
}
