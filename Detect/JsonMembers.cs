using System.Text.Json;

namespace MeterBridge.Detect;

/// <summary>
/// A JSON object's members down to a depth, in document order: what the recognisers look at, read once with
/// <see cref="Utf8JsonReader"/> (a document model would cost the binary far more than this walk).
/// </summary>
internal static class JsonMembers
{
    /// <param name="pointer">The member as a JSON pointer (<c>/SML/Power_curr</c>).</param>
    /// <param name="depth">1 for the root's members.</param>
    /// <param name="length">An array's number of elements; 0 for anything else.</param>
    /// <remarks>A class, not a record struct: a list of a new struct type is a fresh copy of List's and LINQ's code.</remarks>
    public sealed class Member(string pointer, string name, JsonTokenType kind, int depth, int length = 0)
    {
        public string Pointer { get; } = pointer;
        public string Name { get; } = name;
        public JsonTokenType Kind { get; } = kind;
        public int Depth { get; } = depth;
        public int Length { get; } = length;
    }

    /// <summary>The members of a JSON object, objects entered down to <paramref name="maxDepth"/>; null when it is no JSON object.</summary>
    public static List<Member>? Read(byte[] payload, int maxDepth)
    {
        var members = new List<Member>();
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            ReadObject(ref reader, "", 1, maxDepth, members);
            while (reader.Read()) { } // anything after the object makes the reader throw
            return members;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void ReadObject(ref Utf8JsonReader reader, string pointer, int depth, int maxDepth, List<Member> members)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            string path = pointer + "/" + name.Replace("~", "~0").Replace("/", "~1");
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                members.Add(new Member(path, name, reader.TokenType, depth, Elements(ref reader)));
                continue;
            }
            members.Add(new Member(path, name, reader.TokenType, depth));
            if (reader.TokenType == JsonTokenType.StartObject && depth < maxDepth) ReadObject(ref reader, path, depth + 1, maxDepth, members);
            else reader.Skip();
        }
    }

    /// <summary>Counts an array's elements, leaving the reader on its end.</summary>
    private static int Elements(ref Utf8JsonReader reader)
    {
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            reader.Skip();
        }
        return count;
    }
}
