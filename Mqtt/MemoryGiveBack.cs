namespace MeterBridge.Mqtt;

/// <summary>
/// Returns the memory of a large message to the system once it is garbage. The GC frees a large array's pages only in a
/// full collection, which a bridge that allocates nothing in steady state may not see for the connection's life: after one
/// 20 MB message RSS would stay ~20 MB above idle. So a reader that let go of a large buffer asks for one compacting
/// collection that also decommits (GCCollectionMode.Aggressive), a moment later, once per burst of large messages: a
/// collection of the bridge's few MB costs milliseconds, and only messages of more than 1 MiB pay it.
/// </summary>
internal static class MemoryGiveBack
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private static readonly Timer Collect = new(_ => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true));

    /// <summary>A large buffer was let go: collect a second from now (a later call moves the collection, so a burst pays once).</summary>
    public static void Soon() => Collect.Change(Delay, Timeout.InfiniteTimeSpan);
}
