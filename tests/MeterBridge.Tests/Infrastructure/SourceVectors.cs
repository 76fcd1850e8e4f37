using System.Text;
using System.Text.Json;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>tests/vectors/sources.json (the repository's copy): cases of messages on topics, and configurations <c>check</c> refuses.</summary>
public static class SourceVectors
{
    public sealed record Step(string Topic, string Payload, bool Accepted, bool Ignored, IReadOnlyDictionary<string, JsonElement> Expect)
    {
        /// <summary>The step as a <c>decode</c> input line.</summary>
        public string Line => Topic + "\t" + Payload;
    }

    public sealed record Case(string Name, IReadOnlyDictionary<string, string> Config, IReadOnlyDictionary<string, string> Mapping, IReadOnlyList<Step> Steps)
    {
        /// <summary>A config.ini with the case's keys in [DEFAULT] and its rules in [MAPPING] (a '\n' in a value: continuation lines).</summary>
        public string ConfigFile()
        {
            var text = new StringBuilder("[DEFAULT]\n");
            foreach (var (key, value) in Config) text.Append($"{key} = {value}\n");
            if (Mapping.Count > 0) text.Append("[MAPPING]\n");
            foreach (var (key, value) in Mapping) text.Append($"{key} = {value.Replace("\n", "\n    ")}\n");
            return text.ToString();
        }

        /// <summary>Writes <see cref="ConfigFile"/> to a fresh temporary file and returns its path.</summary>
        public string WriteConfig()
        {
            string path = Path.Combine(Path.GetTempPath(), $"mb-sources-{Guid.NewGuid():N}.ini");
            File.WriteAllText(path, ConfigFile());
            return path;
        }
    }

    public sealed record ConfigError(string Name, Case Config, string Why);

    private static readonly (List<Case> Cases, List<ConfigError> Errors) Loaded = Load();

    public static IReadOnlyList<Case> All => Loaded.Cases;
    public static IReadOnlyList<ConfigError> Errors => Loaded.Errors;

    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });
    public static IEnumerable<object[]> ErrorNames => Errors.Select(c => new object[] { c.Name });

    public static Case Named(string name) => All.Single(c => c.Name == name);
    public static ConfigError ErrorNamed(string name) => Errors.Single(c => c.Name == name);

    private static (List<Case>, List<ConfigError>) Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.SourceVectors));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => ReadCase(c, c.GetProperty("steps"))).ToList();
        var errors = doc.RootElement.GetProperty("config_errors").EnumerateArray()
            .Select(e => new ConfigError(e.GetProperty("name").GetString()!, ReadCase(e, default), e.GetProperty("why").GetString()!)).ToList();
        return (cases, errors);
    }

    private static Case ReadCase(JsonElement c, JsonElement steps)
    {
        // "mapping" is the [MAPPING] section; the other keys of "config" are ordinary keys.
        var given = c.GetProperty("config");
        var config = given.EnumerateObject().Where(p => p.Name != "mapping").ToDictionary(p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        var mapping = given.TryGetProperty("mapping", out var m) ? m.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : [];
        var list = steps.ValueKind != JsonValueKind.Array ? [] : steps.EnumerateArray().Select(s => new Step(
            s.GetProperty("topic").GetString()!,
            s.GetProperty("payload").GetString()!,
            s.GetProperty("accepted").GetBoolean(),
            s.TryGetProperty("ignored", out var ignored) && ignored.GetBoolean(),
            s.GetProperty("expect").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()))).ToList();
        return new Case(c.GetProperty("name").GetString()!, config, mapping, list);
    }
}
