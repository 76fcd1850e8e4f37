using System.Text;

namespace MeterBridge.Sources;

/// <summary>
/// An RFC 6901 JSON pointer (<c>/ENERGY/Power/0</c>), split at start into its reference tokens, unescaped
/// (<c>~1</c> is <c>/</c>, <c>~0</c> is <c>~</c>) and as UTF-8, so a payload's keys are compared byte for byte.
/// A token that is an array index (digits, no leading zero) also selects that element of an array.
/// </summary>
internal sealed class JsonPointer
{
    private JsonPointer(string text, byte[][] tokens, int[] indices)
    {
        Text = text;
        Tokens = tokens;
        Indices = indices;
    }

    public string Text { get; }
    public byte[][] Tokens { get; }
    /// <summary>Per token: the array index it names, or -1.</summary>
    public int[] Indices { get; }
    public int Depth => Tokens.Length;

    /// <summary>The pointer, or null and why the text is not one.</summary>
    public static JsonPointer? Parse(string text, out string? problem)
    {
        problem = null;
        if (!text.StartsWith('/'))
        {
            problem = $"the pointer \"{text}\" does not start with / (an RFC 6901 JSON pointer: /ENERGY/Power)";
            return null;
        }
        string[] parts = text[1..].Split('/');
        var tokens = new byte[parts.Length][];
        var indices = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            for (int c = part.IndexOf('~'); c >= 0; c = part.IndexOf('~', c + 1))
                if (c + 1 >= part.Length || part[c + 1] is not ('0' or '1'))
                {
                    problem = $"the pointer \"{text}\" has a ~ not followed by 0 or 1 (write ~0 for ~ and ~1 for /)";
                    return null;
                }
            string token = part.Replace("~1", "/").Replace("~0", "~");
            tokens[i] = Encoding.UTF8.GetBytes(token);
            indices[i] = IsIndex(token) ? int.Parse(token, System.Globalization.CultureInfo.InvariantCulture) : -1;
        }
        return new JsonPointer(text, tokens, indices);
    }

    private static bool IsIndex(string token) =>
        token.Length is > 0 and < 10 && token.All(char.IsAsciiDigit) && (token == "0" || token[0] != '0');
}
