namespace MeterBridge.Core;

/// <summary>Why a payload was not applied. <see cref="None"/> means it was accepted.</summary>
/// <remarks>Public, one of the few product types that are: the tests' theories take it as a parameter.</remarks>
public enum RejectReason : byte
{
    None = 0,
    NotJson,
    NotAnObject,
    NoGridObject,
    PhaseNotAnObject,
    NotANumber,
    NoQuantity,
    PowerOutOfRange,
    Negative,
    PowerFactorOutOfRange,
    /// <summary>A current, voltage, frequency or energy beyond what any meter can show (docs/payloads.md).</summary>
    OutOfRange,
    TooLarge,
    /// <summary>A mapped source's message that carries no value of any rule: ignored, not an error.</summary>
    NoMappedValue,
}
