using System.Numerics;
using System.Text.Json;
using System.Text.Unicode;
using MeterBridge.Core;

namespace MeterBridge.Sources;

/// <summary>
/// Resolves the JSON pointers of several rules in one pass over a payload with <see cref="Utf8JsonReader"/>: a bit
/// per rule says which rules the path so far still leads to; members no rule wants are skipped unread. Nothing is
/// allocated. A pointer that does not resolve, or ends at null, an object or an array, is not carried.
/// </summary>
internal static class PointerWalk
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>Fills <paramref name="values"/>[i] for each rule i in <paramref name="wanted"/> that the payload carries.</summary>
    public static Verdict Read(ReadOnlySpan<byte> json, MappingRule[] rules, ulong wanted, Span<double> values)
    {
        if (!Utf8.IsValid(json)) return new(RejectReason.NotJson);
        try
        {
            var reader = new Utf8JsonReader(json, Options);
            if (!reader.Read()) return new(RejectReason.NotJson);
            var verdict = Value(ref reader, rules, wanted, 0, values);
            while (reader.Read()) { } // anything after the root value makes the reader throw
            return verdict;
        }
        catch (JsonException)
        {
            return new(RejectReason.NotJson);
        }
    }

    /// <summary>The reader is on a value that the first <paramref name="depth"/> tokens of each rule in <paramref name="alive"/> lead to.</summary>
    private static Verdict Value(ref Utf8JsonReader reader, MappingRule[] rules, ulong alive, int depth, Span<double> values)
    {
        ulong deeper = 0;
        for (ulong bits = alive; bits != 0; bits &= bits - 1)
        {
            int i = BitOperations.TrailingZeroCount(bits);
            if (rules[i].Pointer!.Depth > depth) { deeper |= 1UL << i; continue; }
            if (reader.TokenType is JsonTokenType.Null or JsonTokenType.StartObject or JsonTokenType.StartArray) continue;
            if (!JsonNumber.TryRead(ref reader, out values[i])) return new(RejectReason.NotANumber, rules[i].Location, rules[i].Quantity);
        }
        if (deeper != 0 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            return Container(ref reader, rules, deeper, depth, values);
        reader.Skip();
        return Verdict.Accepted;
    }

    private static Verdict Container(ref Utf8JsonReader reader, MappingRule[] rules, ulong alive, int depth, Span<double> values)
    {
        bool isArray = reader.TokenType == JsonTokenType.StartArray;
        Span<byte> buffer = stackalloc byte[64];
        for (int index = 0; reader.Read() && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray); index++)
        {
            ulong next = 0;
            if (isArray)
            {
                for (ulong bits = alive; bits != 0; bits &= bits - 1)
                    if (rules[BitOperations.TrailingZeroCount(bits)].Pointer!.Indices[depth] == index) next |= bits & ~(bits - 1);
            }
            else
            {
                scoped ReadOnlySpan<byte> key = reader.ValueSpan;
                bool tooLong = reader.ValueIsEscaped && key.Length > buffer.Length; // longer than any key a rule names
                if (reader.ValueIsEscaped && !tooLong) key = buffer[..reader.CopyString(buffer)];
                for (ulong bits = tooLong ? 0 : alive; bits != 0; bits &= bits - 1)
                    if (key.SequenceEqual(rules[BitOperations.TrailingZeroCount(bits)].Pointer!.Tokens[depth])) next |= bits & ~(bits - 1);
                reader.Read();
            }
            if (next == 0) { reader.Skip(); continue; }
            var verdict = Value(ref reader, rules, next, depth + 1, values);
            if (!verdict.IsAccepted) return verdict;
        }
        return Verdict.Accepted;
    }
}
