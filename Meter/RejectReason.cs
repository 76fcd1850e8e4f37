namespace MeterBridge.Meter;

/// <summary>Why a payload was not applied. <see cref="None"/> means it was accepted.</summary>
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
    TooLarge,
}
