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
/// Reads one line of the mapping language, <c>TOPIC [POINTER] [* FACTOR]</c>: a trailing blank-asterisk-blank and a
/// word is the factor; the topic runs to the first blank; the rest is the pointer. The line is split first, then
/// <c>{topic}</c> and <c>{channel}</c> are replaced, so a configured topic may hold blanks.
/// </summary>
internal static class RuleText
{
    public static MappingRule? Parse(string line, Location location, Quantity quantity, string topic, int channel, out string? problem)
    {
        problem = null;
        string rest = line.Trim();
        double factor = 1;
        int star = rest.LastIndexOf(" * ", StringComparison.Ordinal);
        if (star >= 0 && !rest.AsSpan(star + 3).Trim().ContainsAny(" \t"))
        {
            string number = rest[(star + 3)..].Trim();
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out factor) || !double.IsFinite(factor))
            {
                problem = $"has a factor \"{number}\" that is not a finite number (TOPIC [POINTER] [* FACTOR])";
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
