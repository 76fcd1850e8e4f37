using System.Text.RegularExpressions;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// What a log line must not show: an enum's name in parentheses ("lost the broker … (NormalDisconnection)") or a .NET
/// resource key ("Arg_OutOfMemoryException"): a user can do nothing with either.
/// </summary>
public static partial class LogWords
{
    /// <summary>The lines that show such a word.</summary>
    public static IReadOnlyList<string> EnumLike(IEnumerable<string> lines) => [.. lines.Where(line => EnumName().IsMatch(line) || ResourceKey().IsMatch(line))];

    [GeneratedRegex(@"\(([A-Z][a-z0-9]+){2,}\)")]
    private static partial Regex EnumName();

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*_[A-Z]\w*")]
    private static partial Regex ResourceKey();
}
