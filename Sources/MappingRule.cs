using System.Globalization;
using System.Text;
using MeterBridge.Core;

namespace MeterBridge.Sources;

/// <summary>
/// One compiled rule of a source: messages on topics that match <see cref="Topic"/> carry the value at
/// <see cref="Pointer"/> (the whole payload when null), times <see cref="Factor"/>, as this location's quantity.
/// </summary>
internal sealed record MappingRule(Location Location, Quantity Quantity, string Topic, JsonPointer? Pointer, double Factor)
{
    /// <summary>The rule in the mapping language, placeholders replaced: what <c>check</c> shows.</summary>
    public string Text => Topic + (Pointer is null ? "" : " " + Pointer.Text) + (Factor == 1 ? "" : " * " + Factor.ToString("R", CultureInfo.InvariantCulture));
}

/// <summary>
/// Reads one line of the mapping language, <c>TOPIC [POINTER] [* FACTOR]</c>: an asterisk that starts a word (after a
/// blank) starts the factor, and one number must follow it and end the line; the topic runs to the first blank; the rest
/// is the pointer. The line is split first, then <c>{topic}</c> and <c>{channel}</c> are replaced, so a configured topic
/// may hold blanks. An asterisk inside a word (<c>/a*b</c>) is part of the pointer.
/// </summary>
internal static class RuleText
{
    /// <summary>
    /// The factor's bounds in magnitude. Real factors change a unit: 0.001 (Wh → kWh), 1000 (kW → W), -1 (export counted
    /// positive), 3.6, 1/60 000 (watt-minutes → kWh); the largest is joules ↔ kWh (2.8e-7, 3.6e6). Beyond these bounds a
    /// factor is a typo, and 0 would show every value as 0.
    /// </summary>
    public const double MinFactor = 1e-7, MaxFactor = 1e7;

    public static MappingRule? Parse(string line, Location location, Quantity quantity, string topic, int channel, out string? problem)
    {
        problem = null;
        string rest = line.Trim();
        double factor = 1;
        int star = FactorStart(rest);
        if (star >= 0)
        {
            string number = rest[(star + 1)..].Trim();
            if (number.Length == 0)
            {
                problem = "ends in * with no factor after it (TOPIC [POINTER] [* FACTOR])";
                return null;
            }
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out factor) || !double.IsFinite(factor))
            {
                problem = $"has a factor \"{number}\" that is not a finite number (TOPIC [POINTER] [* FACTOR])";
                return null;
            }
            if (factor == 0)
            {
                problem = $"has a factor \"{number}\" that is zero: every value would show as 0";
                return null;
            }
            if (Math.Abs(factor) is < MinFactor or > MaxFactor)
            {
                problem = $"has a factor \"{number}\" whose size is outside 1e-7…1e7: a factor changes a unit (0.001 for Wh → kWh, -1 to turn the sign)";
                return null;
            }
            rest = rest[..star].TrimEnd();
        }
        int blank = rest.IndexOfAny([' ', '\t']);
        string topicText = blank < 0 ? rest : rest[..blank];
        string pointerText = blank < 0 ? "" : rest[(blank + 1)..].Trim();

        string? filter = Substitute(topicText, topic, channel, ref problem);
        string? pointerFilled = Substitute(pointerText, topic, channel, ref problem);
        if (filter is null || pointerFilled is null) return null;
        if (TopicFilter.Problem(filter) is { } bad)
        {
            problem = $"has a topic \"{filter}\" that {bad}";
            return null;
        }
        JsonPointer? pointer = null;
        if (pointerFilled.Length > 0 && (pointer = JsonPointer.Parse(pointerFilled, out string? pointerProblem)) is null)
        {
            problem = "has a bad JSON pointer: " + pointerProblem;
            return null;
        }
        return new MappingRule(location, quantity, filter, pointer, factor);
    }

    /// <summary>Where the factor starts: the first asterisk at the start of the line or after a blank; -1 when none.</summary>
    private static int FactorStart(string line)
    {
        for (int i = 0; i < line.Length; i++)
            if (line[i] == '*' && (i == 0 || line[i - 1] is ' ' or '\t')) return i;
        return -1;
    }

    /// <summary>Replaces <c>{topic}</c> and <c>{channel}</c> in one pass (a replaced value is not scanned again).</summary>
    private static string? Substitute(string text, string topic, int channel, ref string? problem)
    {
        var result = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            int close = text[i] == '{' ? text.IndexOf('}', i) : -1;
            if (close < 0)
            {
                result.Append(text[i]);
                continue;
            }
            string name = text[(i + 1)..close];
            if (name == "topic") result.Append(topic);
            else if (name == "channel") result.Append(channel.ToString(CultureInfo.InvariantCulture));
            else
            {
                problem = $"has an unknown placeholder {{{name}}} (only {{topic}} and {{channel}} exist)";
                return null;
            }
            i = close;
        }
        return result.ToString();
    }
}
