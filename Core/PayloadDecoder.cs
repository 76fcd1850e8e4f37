using System.Text.Json;
using System.Text.Unicode;

namespace MeterBridge.Core;

/// <summary>
/// Reads one MQTT payload into a <see cref="Reading"/> with <see cref="Utf8JsonReader"/>:
/// no reflection, no allocation for a well-formed payload. It checks the shape and the types
/// (docs/payloads.md "Shape" and "Numbers"); the plausibility rules are <see cref="MeterRules"/>.
/// The topic does not matter. Holds no state: one instance serves every meter.
/// </summary>
internal sealed class PayloadDecoder : IPayloadDecoder
{
    public static readonly PayloadDecoder Instance = new();

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    private PayloadDecoder() { }

    public bool Mapped => false;

    public Verdict Decode(string topic, ReadOnlySpan<byte> payload, ref Reading reading)
    {
        reading = Reading.Empty();
        // The reader does not check the bytes of strings it skips; JSON is UTF-8 throughout (vectorised, cheap).
        if (!Utf8.IsValid(payload)) return new(RejectReason.NotJson);
        try
        {
            var reader = new Utf8JsonReader(payload, Options);
            if (!reader.Read()) return new(RejectReason.NotJson);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return EndOfDocument(ref reader, new(RejectReason.NotAnObject));
            }

            var verdict = new Verdict(RejectReason.NoGridObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isGrid = reader.ValueTextEquals("grid"u8);
                reader.Read();
                if (!isGrid) { reader.Skip(); continue; }
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    verdict = new(RejectReason.NoGridObject);
                    continue;
                }
                verdict = ReadGrid(ref reader, ref reading);
                if (!verdict.IsAccepted) return verdict;
            }
            return EndOfDocument(ref reader, verdict);
        }
        catch (JsonException)
        {
            return new(RejectReason.NotJson);
        }
    }

    /// <summary>Anything after the root value is an error; the reader throws on it.</summary>
    private static Verdict EndOfDocument(ref Utf8JsonReader reader, Verdict verdict)
    {
        while (reader.Read()) { }
        return verdict;
    }

    private static Verdict ReadGrid(ref Utf8JsonReader reader, ref Reading reading)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var kind = MatchKey(ref reader, inPhase: false, out var quantity, out var location);
            reader.Read();
            if (kind == KeyKind.Quantity)
            {
                if (!TryReadNumber(ref reader, ref reading, location, quantity))
                    return new(RejectReason.NotANumber, location, quantity);
            }
            else if (kind == KeyKind.Phase)
            {
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartObject) return new(RejectReason.PhaseNotAnObject, location);
                var verdict = ReadPhase(ref reader, ref reading, location);
                if (!verdict.IsAccepted) return verdict;
            }
            else
            {
                reader.Skip();
            }
        }
        return Verdict.Accepted;
    }

    private static Verdict ReadPhase(ref Utf8JsonReader reader, ref Reading reading, Location phase)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var kind = MatchKey(ref reader, inPhase: true, out var quantity, out _);
            reader.Read();
            if (kind == KeyKind.Quantity)
            {
                if (!TryReadNumber(ref reader, ref reading, phase, quantity))
                    return new(RejectReason.NotANumber, phase, quantity);
            }
            else
            {
                reader.Skip();
            }
        }
        return Verdict.Accepted;
    }

    private enum KeyKind { Unknown, Quantity, Phase }

    /// <summary>
    /// Matches the current property name: a quantity (in <c>grid</c> also with a phase suffix) or,
    /// in <c>grid</c>, a phase object. Escaped names are unescaped first; over-long ones never match.
    /// </summary>
    private static KeyKind MatchKey(ref Utf8JsonReader reader, bool inPhase, out Quantity quantity, out Location location)
    {
        Span<byte> buffer = stackalloc byte[32];
        scoped ReadOnlySpan<byte> key = reader.ValueSpan;
        if (reader.ValueIsEscaped)
            key = key.Length <= buffer.Length ? buffer[..reader.CopyString(buffer)] : default;

        quantity = default;
        if (QuantityKeys.TryMatch(key, allowPhaseSuffix: !inPhase, out quantity, out location)) return KeyKind.Quantity;
        if (!inPhase && QuantityKeys.TryMatchPhase(key, out location)) return KeyKind.Phase;
        return KeyKind.Unknown;
    }

    /// <summary>A number as <see cref="JsonNumber"/> reads it; null leaves the slot empty.</summary>
    private static bool TryReadNumber(ref Utf8JsonReader reader, ref Reading reading, Location location, Quantity quantity)
    {
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (!JsonNumber.TryRead(ref reader, out double value)) return false;
        reading[location, quantity] = value;
        return true;
    }
}
