namespace MeterBridge.Items;

/// <summary>How an item's <c>GetText</c> looks: the unit and number of decimals official meters use.</summary>
/// <remarks>Public, one of the few product types that are: the tests' theories take it as a parameter.</remarks>
public enum TextFormat : byte
{
    /// <summary><c>1234.5 W</c></summary>
    Watt,
    /// <summary><c>230.1 V</c></summary>
    Volt,
    /// <summary><c>5.4 A</c></summary>
    Ampere,
    /// <summary><c>50.01 Hz</c></summary>
    Hertz,
    /// <summary><c>0.950</c></summary>
    PowerFactor,
    /// <summary><c>1234.56 kWh</c></summary>
    KiloWattHour,
    /// <summary>A whole number: <c>3</c></summary>
    Integer,
    /// <summary>A whole number in hex: <c>0xFFFF</c></summary>
    Hex,
    /// <summary>The string itself; a list joined with commas.</summary>
    Plain,
}
