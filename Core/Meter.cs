namespace MeterBridge.Core;

/// <summary>
/// The meter as docs/payloads.md describes it: a payload goes in whole or not at all.
/// Decode (the seed format, or a mapped source's rules), check, merge; then <see cref="MeterState.Show"/> tells what it displays.
/// </summary>
internal sealed class Meter
{
    private readonly IPayloadDecoder _decoder;
    private Reading _reading = Reading.Empty();

    public MeterState State { get; }

    /// <summary>Whether any message was ever accepted: before that the meter is not shown at all.</summary>
    public bool HasData { get; private set; }

    /// <param name="decoder">How a message is read; null reads the seed format (docs/payloads.md).</param>
    public Meter(MeterLimits limits, IPayloadDecoder? decoder = null)
    {
        State = new MeterState(limits);
        _decoder = decoder ?? PayloadDecoder.Instance;
    }


    public Verdict Apply(string topic, ReadOnlySpan<byte> payload)
    {
        // Checked before any parsing: a huge payload costs nothing but this comparison.
        if (payload.Length > State.Limits.MaxPayloadSize) return new(RejectReason.TooLarge, Value: payload.Length);
        payload = Trimmed(payload);
        var verdict = _decoder.Decode(topic, payload, ref _reading);
        if (verdict.IsAccepted) verdict = MeterRules.Check(_reading, State.Limits);
        if (!verdict.IsAccepted) return verdict with { Mapped = _decoder.Mapped };
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
