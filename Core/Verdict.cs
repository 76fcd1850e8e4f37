using System.Globalization;

namespace MeterBridge.Core;

/// <summary>
/// The outcome of one payload: accepted, or the reason it was rejected and the key and value
/// that caused it. A value type, so the hot path allocates nothing; the text is built only
/// when somebody logs it.
/// </summary>
/// <param name="Mapped">From a preset or mapping: the key is named as in [MAPPING] (<c>power_L1</c>), not as in the seed JSON.</param>
internal readonly record struct Verdict(RejectReason Reason, Location Location = Location.Total, Quantity Quantity = Quantity.Power, double Value = double.NaN, bool Mapped = false)
{
    public static Verdict Accepted => default;

    public bool IsAccepted => Reason == RejectReason.None;

    /// <summary>The payload key in the form a user writes it, e.g. <c>grid.L1.power</c>, or the [MAPPING] key.</summary>
    public string Key => Mapped ? QuantityKeys.MappingKey(Location, Quantity) : QuantityKeys.SeedPath(Location, Quantity);

    public string Describe(MeterLimits limits) => Reason switch
    {
        RejectReason.None => "accepted",
        RejectReason.NotJson => "not valid JSON",
        RejectReason.NotAnObject => "not a JSON object",
        RejectReason.NoGridObject => "no \"grid\" object",
        RejectReason.PhaseNotAnObject => $"grid.{Location} is neither an object nor null",
        RejectReason.NotANumber => $"{Key} is not a number",
        RejectReason.NoQuantity => $"no known quantity ({QuantityKeys.List()})",
        RejectReason.PowerOutOfRange => $"{Key} = {Format(Value)} W is outside ±{Format(Location == Location.Total ? limits.PowerThresholdTotal : limits.PowerThresholdPerPhase)} W",
        RejectReason.Negative => $"{Key} = {Format(Value)} is negative",
        RejectReason.PowerFactorOutOfRange => $"{Key} = {Format(Value)} is outside -1…1",
        RejectReason.OutOfRange => $"{Key} = {Format(Value)} {Unit(Quantity)} is outside {Range(limits)} {Unit(Quantity)}",
        RejectReason.TooLarge => $"payload of {Format(Value)} bytes is larger than max_payload_size = {limits.MaxPayloadSize}",
        RejectReason.NoMappedValue => "no mapped value",
        _ => Reason.ToString(),
    };

    /// <summary>The bounds <see cref="MeterRules"/> checked: <c>±1380</c> for a current, <c>0…1000</c> otherwise.</summary>
    private string Range(MeterLimits limits) => Quantity == Quantity.Current
        ? "±" + Format(Location == Location.Total ? limits.CurrentLimitTotal : limits.CurrentLimitPerPhase)
        : "0…" + Format(MeterRules.Max(Quantity));

    private static string Unit(Quantity quantity) => quantity switch
    {
        Quantity.Power => "W",
        Quantity.Voltage => "V",
        Quantity.Current => "A",
        Quantity.Frequency => "Hz",
        Quantity.EnergyForward or Quantity.EnergyReverse => "kWh",
        _ => "",
    };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
