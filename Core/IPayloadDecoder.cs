namespace MeterBridge.Core;

/// <summary>
/// Reads one message into a <see cref="Reading"/>: the seed format (<see cref="PayloadDecoder"/>) or a source's rules.
/// Called per message on the hot path, so an implementation allocates nothing for a well-formed payload.
/// </summary>
internal interface IPayloadDecoder
{
    /// <summary>Whether a rejection names its key as a [MAPPING] key (<c>power_L1</c>) rather than as the seed JSON does
    /// (<c>grid.L1.power</c>): a mapped source's user never wrote the seed JSON.</summary>
    bool Mapped { get; }

    /// <summary>Empties <paramref name="reading"/> and fills in what the message carries; the verdict says whether its
    /// shape and values could be read (the plausibility rules are <see cref="MeterRules"/>).</summary>
    Verdict Decode(string topic, ReadOnlySpan<byte> payload, ref Reading reading);
}
