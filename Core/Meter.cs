using MeterBridge.Sources;

namespace MeterBridge.Core;

/// <summary>
/// The meter as docs/payloads.md describes it: a payload goes in whole or not at all.
/// Decode (the seed format, or a mapped source's rules), check, merge; then <see cref="MeterState.Show"/> tells what it displays.
/// </summary>
public sealed class Meter
{
    private readonly MappedDecoder? _mapped;
    private Reading _reading = Reading.Empty();

    public MeterState State { get; }

    /// <summary>Whether any message was ever accepted: before that the meter is not shown at all.</summary>
    public bool HasData { get; private set; }

    /// <param name="source">The mapped source; null reads the seed format (docs/payloads.md).</param>
    public Meter(MeterLimits limits, MappedSource? source = null)
    {
        State = new MeterState(limits);
        if (source is not null) _mapped = new MappedDecoder(source);
    }

    /// <summary>A payload of the seed format, whose topic does not matter.</summary>
    public Verdict Apply(ReadOnlySpan<byte> payload) => Apply("", payload);

    public Verdict Apply(string topic, ReadOnlySpan<byte> payload)
    {
        // Checked before any parsing: a huge payload costs nothing but this comparison.
        if (payload.Length > State.Limits.MaxPayloadSize) return new(RejectReason.TooLarge, Value: payload.Length);
        payload = Trimmed(payload);
        var verdict = _mapped is null ? PayloadDecoder.Decode(payload, ref _reading) : _mapped.Decode(topic, payload, ref _reading);
        if (verdict.IsAccepted) verdict = MeterRules.Check(_reading, State.Limits);
        if (!verdict.IsAccepted) return verdict with { Mapped = _mapped is not null };
        State.Merge(_reading);
        HasData = true;
        return verdict;
    }

    /// <summary>Without blanks around it and a UTF-8 byte order mark before it, as the Python driver's json.loads reads bytes.</summary>
    private static ReadOnlySpan<byte> Trimmed(ReadOnlySpan<byte> payload)
    {
        payload = payload.Trim(" \t\r\n"u8);
        if (payload.StartsWith("\uFEFF"u8)) payload = payload[3..].TrimStart(" \t\r\n"u8);
        return payload;
    }
}
