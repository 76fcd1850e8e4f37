// STUB: replaced by the lead
using MeterBridge.Config;

namespace MeterBridge.Bridge;

public static class BridgeCommand
{
    public static Task<int> RunAsync(Settings settings, IReadOnlyList<string> warnings, CancellationToken ct) =>
        Task.FromResult(Cli.ExitCodes.Ok);
}
