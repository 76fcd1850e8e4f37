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
    /// <param name="energy">Counts energy from power (energy_from_power); null counts nothing, as <c>decode</c>: one message
    /// is no time.</param>
    public Meter(MeterLimits limits, IPayloadDecoder? decoder = null, EnergyIntegrator? energy = null)
    {
        State = new MeterState(limits, energy);
        _decoder = decoder ?? PayloadDecoder.Instance;
    }

    /// <summary>Applies a payload without a clock: nothing is counted from power (no time passes).</summary>
    public Verdict Apply(string topic, ReadOnlySpan<byte> payload) => Apply(topic, payload, 0);

    /// <param name="now">When it arrived, in Stopwatch ticks: power is counted into energy up to this moment.</param>
    public Verdict Apply(string topic, ReadOnlySpan<byte> payload, long now)
    {
        // Checked before any parsing: a huge payload costs nothing but this comparison.
        if (payload.Length > State.Limits.MaxPayloadSize) return new(RejectReason.TooLarge, Value: payload.Length);
        payload = Trimmed(payload);
        var verdict = _decoder.Decode(topic, payload, ref _reading);
        if (verdict.IsAccepted) verdict = MeterRules.Check(_reading, State.Limits);
        if (!verdict.IsAccepted) return verdict with { Mapped = _decoder.Mapped };
        State.Merge(_reading);
        State.Energy?.Add(_reading, now);
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
