using System.Globalization;
using System.Text.Json;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>tests/vectors/payloads.json (the repository's copy), read at test time: the cases, and the check of one expected path value.</summary>
internal static class PayloadVectors
{
    public sealed record Step(string Payload, bool? Accepted, IReadOnlyDictionary<string, JsonElement> Expect);

    public sealed record Case(string Name, IReadOnlyDictionary<string, double> Config, IReadOnlyList<Step> Steps)
    {
        /// <summary>The case's config as meterbridge flags (<c>power_threshold_per_phase</c> → <c>--power-threshold-per-phase</c>).</summary>
        public IEnumerable<string> Flags() => Config.SelectMany(kv => new[]
        {
            "--" + kv.Key.Replace('_', '-'), kv.Value.ToString(CultureInfo.InvariantCulture),
        });
    }

    public static IReadOnlyList<Case> All { get; } = Load();

    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    public static Case Named(string name) => All.Single(c => c.Name == name);

    /// <summary>
    /// Checks one expectation against what the meter shows. present/value come from the code under test:
    /// value null means invalid. Returns an error text, or null when it matches.
    /// </summary>
    public static string? Mismatch(JsonElement expected, bool present, double? value)
    {
        if (expected.ValueKind == JsonValueKind.String && expected.GetString() == "absent")
            return present ? $"expected absent, got {Show(value)}" : null;
        if (!present) return $"expected {expected}, path is absent";
        if (expected.ValueKind == JsonValueKind.Null)
            return value is null ? null : $"expected invalid, got {Show(value)}";
        double want = expected.GetDouble();
        if (value is not { } got) return $"expected {want}, got invalid";
        double tolerance = Math.Max(1e-6 * Math.Abs(want), 0.005);
        return Math.Abs(got - want) <= tolerance ? null : $"expected {want}, got {got}";
    }

    /// <summary>Each expected path that differs in a line of <c>decode</c>'s output ("paths"), as "path: what differs".</summary>
    public static IEnumerable<string> Mismatches(IReadOnlyDictionary<string, JsonElement> expect, JsonElement paths)
    {
        foreach (var (path, expected) in expect)
        {
            bool present = paths.TryGetProperty(path, out var value);
            double? number = present && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
            if (Mismatch(expected, present, number) is { } error) yield return $"{path}: {error}";
        }
    }

    /// <summary>The same against the core's path table.</summary>
    public static IEnumerable<string> Mismatches(IReadOnlyDictionary<string, JsonElement> expect, MeterBridge.Items.ItemTable table)
    {
        foreach (var (path, expected) in expect)
        {
            int row = table.Find(path);
            if (row < 0) { yield return $"{path}: the vector names an unknown path"; continue; }
            double? value = table[row].IsValid ? table[row].Number : null;
            if (Mismatch(expected, table.IsPresent(row), value) is { } error) yield return $"{path}: {error}";
        }
    }

    private static string Show(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "invalid";

    private static List<Case> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.PayloadVectors));
        var cases = new List<Case>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var config = c.GetProperty("config").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            var steps = c.GetProperty("steps").EnumerateArray().Select(s => new Step(
                s.GetProperty("payload").GetString()!,
                s.GetProperty("accepted").ValueKind == JsonValueKind.Null ? null : s.GetProperty("accepted").GetBoolean(),
                s.GetProperty("expect").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()))).ToList();
            cases.Add(new Case(c.GetProperty("name").GetString()!, config, steps));
        }
        return cases;
    }
}
