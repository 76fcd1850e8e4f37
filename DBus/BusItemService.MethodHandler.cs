using Tmds.DBus.Protocol;

namespace MeterBridge.DBus;

internal sealed partial class BusItemService
{
    /// <summary>
    /// One handler for the whole tree (<c>/</c> with child paths), so the service decides which objects
    /// exist from the table at call time, and answers UnknownObject for the rest.
    /// </summary>
    private sealed class MethodHandler(BusItemService service) : IPathMethodHandler
    {
        public string Path => "/";

        public bool HandlesChildPaths => true;

        public ValueTask HandleMethodAsync(MethodContext context)
        {
            service.Handle(context);
            return default;
        }
    }
}
