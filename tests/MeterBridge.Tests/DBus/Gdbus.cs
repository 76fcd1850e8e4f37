using Xunit;
using MeterBridge.Tests.Infrastructure;

namespace MeterBridge.Tests.DBus;

/// <summary><c>gdbus call</c> against a service on the test bus: GVariant text out, e.g. <c>(&lt;1500.5&gt;,)</c>.</summary>
public static class Gdbus
{
    public static string Call(string address, string service, string path, string method, params string[] args)
    {
        var result = CallRaw(address, service, path, method, args);
        Assert.True(result.ExitCode == 0, $"gdbus call {path} {method} failed: {result}");
        return result.Stdout.Trim();
    }

    public static Tool.Result CallRaw(string address, string service, string path, string method, params string[] args) =>
        Tool.Run("gdbus", ["call", "--address", address, "--dest", service, "--object-path", path,
            "--method", method.Contains('.') ? method : "com.victronenergy.BusItem." + method, .. args]);
}
