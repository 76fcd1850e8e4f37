namespace MeterBridge.Meter;

/// <summary>
/// The meter as docs/payloads.md describes it: a payload goes in whole or not at all.
/// Decode, check, merge; then <see cref="MeterState.Show"/> tells what it displays.
/// </summary>
public sealed class Meter
{
    private Reading _reading = Reading.Empty();

    public MeterState State { get; }

    /// <summary>Whether any message was ever accepted: before that the meter is not shown at all.</summary>
    public bool HasData { get; private set; }

    public Meter(MeterLimits limits) => State = new MeterState(limits);

    public Verdict Apply(ReadOnlySpan<byte> payload)
    {
        // Checked before any parsing: a huge payload costs nothing but this comparison.
        if (payload.Length > State.Limits.MaxPayloadSize) return new(RejectReason.TooLarge, Value: payload.Length);
        var verdict = PayloadDecoder.Decode(payload, ref _reading);
        if (verdict.IsAccepted) verdict = MeterRules.Check(_reading, State.Limits);
        if (!verdict.IsAccepted) return verdict;
        State.Merge(_reading);
        HasData = true;
        return verdict;
    }
}
