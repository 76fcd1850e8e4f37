namespace MeterBridge.DBus;

/// <summary>The answers of BusItem <c>SetValue</c>, as velib's VeDbusItemExport gives them.</summary>
internal static class SetValueResult
{
    public const int Accepted = 0;
    public const int NotWritable = 1;
    public const int Rejected = 2;
}
