using System.Text;

namespace MeterBridge.Tests.Architecture;

/// <summary>
/// C# source with its comments and the text of its string and character literals blanked out (same length, line
/// breaks kept), so that what is left is code: a type's name in a comment or a message does not count as a use of it.
/// The code in an interpolated string's holes (<c>$"{Role.Of(x)}"</c>) is kept: it is a use. Handles regular, verbatim
/// and raw strings, each also interpolated, to the depth the product uses them; not a full C# lexer.
/// </summary>
public static class CodeText
{
    public static string Strip(string source)
    {
        var output = new StringBuilder(source.Length);
        int i = 0;
        Code(source, ref i, output, closingBraces: 0);
        return output.ToString();
    }

    /// <summary>Copies code from <paramref name="i"/>; in a hole (<paramref name="closingBraces"/> &gt; 0) up to and
    /// including the braces that close it.</summary>
    private static void Code(string s, ref int i, StringBuilder output, int closingBraces)
    {
        int depth = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '/' && At(s, i + 1) == '/')
            {
                while (i < s.Length && s[i] != '\n') Blank(s, ref i, output);
            }
            else if (c == '/' && At(s, i + 1) == '*')
            {
                while (i < s.Length && !(s[i] == '*' && At(s, i + 1) == '/')) Blank(s, ref i, output);
                Blank(s, ref i, output, 2);
            }
            else if (c == '\'')
            {
                Blank(s, ref i, output);
                while (i < s.Length && s[i] != '\'')
                    Blank(s, ref i, output, s[i] == '\\' ? 2 : 1);
                Blank(s, ref i, output);
            }
            else if (StringStart(s, i, out int dollars, out bool verbatim, out int prefix))
            {
                Blank(s, ref i, output, prefix);
                if (s.AsSpan(i).StartsWith("\"\"\"")) RawString(s, ref i, output, dollars);
                else QuotedString(s, ref i, output, dollars > 0, verbatim);
            }
            else if (c == '@' && char.IsLetter(At(s, i + 1)))
            {
                output.Append(' '); // @class: the identifier without its @
                i++;
            }
            else if (c == '{')
            {
                depth++;
                output.Append(c);
                i++;
            }
            else if (c == '}' && depth == 0 && closingBraces > 0)
            {
                Blank(s, ref i, output, closingBraces);
                return;
            }
            else
            {
                if (c == '}') depth--;
                output.Append(c);
                i++;
            }
        }
    }

    /// <summary>A string literal starts here: <c>"</c>, <c>@"</c>, <c>$"</c>, <c>$@"</c>, <c>@$"</c>, <c>$$"""</c>…</summary>
    private static bool StringStart(string s, int i, out int dollars, out bool verbatim, out int prefix)
    {
        dollars = 0;
        verbatim = false;
        int j = i;
        while (j < s.Length && (s[j] == '$' || s[j] == '@'))
        {
            if (s[j] == '$') dollars++;
            else verbatim = true;
            j++;
        }
        prefix = j - i;
        return At(s, j) == '"' && (prefix == 0 || i == 0 || !IsIdentifierChar(s[i - 1]));
    }

    private static void QuotedString(string s, ref int i, StringBuilder output, bool interpolated, bool verbatim)
    {
        Blank(s, ref i, output); // the opening quote
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '"' && verbatim && At(s, i + 1) == '"') Blank(s, ref i, output, 2);
            else if (c == '"') { Blank(s, ref i, output); return; }
            else if (c == '\\' && !verbatim) Blank(s, ref i, output, 2);
            else if (interpolated && c == '{' && At(s, i + 1) == '{') Blank(s, ref i, output, 2);
            else if (interpolated && c == '{')
            {
                Blank(s, ref i, output);
                Code(s, ref i, output, closingBraces: 1);
            }
            else Blank(s, ref i, output);
        }
    }

    /// <summary>A raw string: as many quotes close it as opened it; with n dollars, n braces open a hole.</summary>
    private static void RawString(string s, ref int i, StringBuilder output, int dollars)
    {
        int quotes = 0;
        while (At(s, i + quotes) == '"') quotes++;
        Blank(s, ref i, output, quotes);
        string closing = new('"', quotes);
        while (i < s.Length)
        {
            if (s.AsSpan(i).StartsWith(closing))
            {
                Blank(s, ref i, output, quotes);
                return;
            }
            if (dollars > 0 && s[i] == '{')
            {
                int run = 0;
                while (At(s, i + run) == '{') run++;
                if (run >= dollars)
                {
                    Blank(s, ref i, output, run);
                    Code(s, ref i, output, closingBraces: dollars);
                    continue;
                }
            }
            Blank(s, ref i, output);
        }
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Writes blanks for <paramref name="count"/> characters (line breaks stay) and moves past them.</summary>
    private static void Blank(string s, ref int i, StringBuilder output, int count = 1)
    {
        for (int end = Math.Min(i + count, s.Length); i < end; i++)
            output.Append(s[i] is '\n' or '\r' ? s[i] : ' ');
    }
}
