using MeterBridge.Items;

namespace MeterBridge.DBus;

/// <summary>
/// Decides a client's <c>SetValue</c> on a writable row: 0 accepted, 1 not writable or wrong type,
/// 2 rejected by validation (velib's codes). Called with the table lock held, on the connection's
/// thread; an accepting writer stores the value in <paramref name="table"/> and the service publishes it.
/// </summary>
internal delegate int ItemWriter(ItemTable table, int row, in BusValue requested);

/// <summary>The answers of BusItem <c>SetValue</c>, as velib's VeDbusItemExport gives them.</summary>
internal static class SetValueResult
{
    public const int Accepted = 0;
    public const int NotWritable = 1;
    public const int Rejected = 2;
}
