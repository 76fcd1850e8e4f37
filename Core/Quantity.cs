namespace MeterBridge.Core;

/// <summary>What a payload key measures. The order is the order of the D-Bus leaves in <see cref="MeterPaths"/>.</summary>
public enum Quantity : byte
{
    Power = 0,
    Voltage = 1,
    Current = 2,
    Frequency = 3,
    PowerFactor = 4,
    EnergyForward = 5,
    EnergyReverse = 6,
}
