using System.Text;

namespace MeterBridge.Detect;

/// <summary>
/// Reads what a name says it measures (<c>grid_power</c>, <c>power_l1</c>, <c>Total_in</c>, <c>GridEnergyExport</c>):
/// a power or an energy, which direction, which phase, and the words left over (the "stem", which tells apart
/// <c>grid_power</c> from <c>solar_power</c>). Names that say something else about a power (a factor, a daily counter,
/// a limit, a radio's transmit power) are not a meter's reading.
/// </summary>
internal static class NameWords
{
    public readonly record struct Meaning(string Key, string Stem, double Factor)
    {
        public bool IsMeter => IsMeterKey(Key);
    }

    /// <summary>Whether a quantity key is a power or an energy: what makes a meter.</summary>
    public static bool IsMeterKey(string key) => key.StartsWith("power", StringComparison.Ordinal) && !key.StartsWith("power_factor", StringComparison.Ordinal)
        || key.StartsWith("energy", StringComparison.Ordinal);

    private static readonly HashSet<string> NotAReading =
    [
        "factor", "pf", "apparent", "reactive", "aprt", "daily", "day", "today", "yesterday", "week", "weekly", "month",
        "monthly", "year", "yearly", "cost", "price", "max", "min", "avg", "average", "peak", "limit", "setpoint", "target",
        "forecast", "transmit", "tx", "outage", "behavior", "behaviour", "on", "off", "mode", "state", "status", "percent",
        "pct", "rssi", "signal", "threshold", "calibration", "last", "reset", "start", "time", "timestamp", "unit",
    ];

    private static readonly HashSet<string> Reverse =
    [
        "export", "exported", "returned", "return", "ret", "reverse", "produced", "production", "out", "feed", "feedin", "injection", "injected", "sold", "delivery",
    ];

    /// <summary>Words that only say "a reading": dropped from the stem.</summary>
    private static readonly HashSet<string> Filler =
    [
        "power", "energy", "total", "active", "act", "curr", "current", "now", "actual", "momentary", "instant", "instantaneous",
        "import", "imported", "forward", "consumption", "consumed", "in", "kwh", "wh", "w", "watt", "watts", "value", "sensor",
    ];

    /// <summary>Words that name a quantity beside power and energy, read only with a power or an energy of the same meter.</summary>
    private static readonly HashSet<string> Others = ["voltage", "volt", "volts", "frequency", "freq", "hz", "amps", "ampere", "factor", "pf"];

    /// <summary>
    /// The quantity key (<c>power</c>, <c>energy_forward_L2</c>, <c>voltage</c>, <c>power_factor_L1</c>) the name stands
    /// for, or null. A voltage, current, frequency or power factor is no meter by itself: <see cref="Meaning.IsMeter"/>.
    /// </summary>
    public static Meaning? Read(string name)
    {
        List<string> words = Words(name);
        if (words.Count == 0) return null;
        bool powerFactor = (words.Contains("power") && words.Contains("factor")) || words.Contains("pf") || (words.Contains("cos") && words.Contains("phi"));
        if (words.Any(w => NotAReading.Contains(w) && !(powerFactor && w is "factor" or "pf"))) return null;
        bool reverse = words.Any(Reverse.Contains);
        bool energy = words.Contains("energy") || words.Contains("kwh") || words.Contains("wh")
            || (words.Contains("total") && (reverse || words.Contains("in") || words.Contains("import")));
        bool power = words.Contains("power") || words.Contains("watt") || words.Contains("watts");
        bool voltage = words.Contains("voltage") || words.Contains("volt") || words.Contains("volts");
        bool frequency = words.Contains("frequency") || words.Contains("freq") || words.Contains("hz");
        bool current = !power && !energy && !voltage && (words.Contains("current") || words.Contains("amps") || words.Contains("ampere"));
        string? key = powerFactor ? "power_factor"
            : energy ? (reverse ? "energy_reverse" : "energy_forward")
            : power ? "power"
            : voltage ? "voltage"
            : frequency ? "frequency"
            : current ? "current"
            : null;
        if (key is null) return null;

        string phase = "";
        var stem = new List<string>();
        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            if (word is "l1" or "l2" or "l3") phase = "_L" + word[1];
            else if (word == "phase" && i + 1 < words.Count && PhaseOf(words[i + 1]) is { } p) { phase = p; i++; }
            else if (word.StartsWith("phase", StringComparison.Ordinal) && PhaseOf(word[5..]) is { } q) phase = q;
            else if (!Filler.Contains(word) && !Reverse.Contains(word) && !Others.Contains(word) && word is not ("cos" or "phi")) stem.Add(word);
        }
        double factor = energy && words.Contains("wh") ? 0.001 : 1;
        return new Meaning(key + phase, string.Join("_", stem), factor);
    }

    private static string? PhaseOf(string word) => word switch
    {
        "a" or "1" => "_L1",
        "b" or "2" => "_L2",
        "c" or "3" => "_L3",
        _ => null,
    };

    /// <summary>Lower-case words: split at anything not a letter or digit, and where a lower-case letter meets an upper-case one.</summary>
    public static List<string> Words(string name)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool boundary = !char.IsAsciiLetterOrDigit(c) || (char.IsAsciiLetterUpper(c) && i > 0 && char.IsAsciiLetterLower(name[i - 1]));
            if (boundary && word.Length > 0) { words.Add(word.ToString()); word.Clear(); }
            if (char.IsAsciiLetterOrDigit(c)) word.Append(char.ToLowerInvariant(c));
        }
        if (word.Length > 0) words.Add(word.ToString());
        return words;
    }
}
