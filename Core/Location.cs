namespace MeterBridge.Core;

/// <summary>Where a quantity was measured: the meter's total or one phase.</summary>
public enum Location : byte
{
    Total = 0,
    L1 = 1,
    L2 = 2,
    L3 = 3,
}
