using MeterBridge.Items;

namespace MeterBridge.DBus;

/// <summary>
/// Decides a client's <c>SetValue</c> on a writable row: 0 accepted, 1 not writable or wrong type,
/// 2 rejected by validation (velib's codes). Called with the table lock held, on the connection's
/// thread; an accepting writer stores the value in <paramref name="table"/> and the service publishes it.
/// </summary>
internal delegate int ItemWriter(ItemTable table, int row, in BusValue requested);
