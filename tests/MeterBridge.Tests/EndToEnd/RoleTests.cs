using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>/Role and /Position written as the GX's GUI does: through SetValue, checked with gdbus.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class RoleTests
{
    private static Tool.Result Call(Rig rig, string service, string path, string method, params string[] args) =>
        Tool.Run("gdbus", ["call", "--address", rig.Bus.Address, "--dest", service, "--object-path", path,
            "--method", "com.victronenergy.BusItem." + method, .. args]);

    [Fact]
    public void A_new_role_re_registers_the_service_under_its_new_name()
    {
        using var rig = new Rig(deviceInstance: 43);
        var bridge = rig.StartBridge();
        rig.Publish("""{"grid":{"power":321.0}}""");
        rig.WaitForValue("/Ac/Power", "(<321.0>,)", bridge: bridge);

        Assert.Equal("(2,)", Call(rig, rig.Service, "/Role", "SetValue", "<'banana'>").Stdout.Trim());
        Assert.Equal("(1,)", Call(rig, rig.Service, "/Role", "SetValue", "<5>").Stdout.Trim());
        Assert.Equal("(0,)", Call(rig, rig.Service, "/Role", "SetValue", "<'acload'>").Stdout.Trim());

        const string acload = "com.victronenergy.acload.mqtt_acload_43";
        Tool.Result items = new(1, "", "");
        for (var deadline = DateTime.UtcNow + Rig.Deadline; DateTime.UtcNow < deadline; Thread.Sleep(100))
        {
            items = Call(rig, acload, "/", "GetItems");
            if (items.ExitCode == 0) break;
        }
        Assert.True(items.ExitCode == 0, "the acload service did not appear:\n" + items + "\n" + bridge.Log);
        Assert.Contains("'/Role': {'Value': <'acload'>", items.Stdout);
        Assert.Contains("'/ProductName': {'Value': <'MQTT AC Load'>", items.Stdout);
        Assert.Contains("'/CustomName': {'Value': <'MQTT AC Load'>", items.Stdout);
        Assert.Contains("'/IsGenericEnergyMeter': {'Value': <1>", items.Stdout);
        Assert.Contains("'/Position': {'Value': <0>", items.Stdout);
        Assert.Contains("'/Ac/Power': {'Value': <321.0>", items.Stdout);
        Assert.False(rig.OnBus(), "the grid service is still on the bus");

        Assert.Equal("(0,)", Call(rig, acload, "/Position", "SetValue", "<1>").Stdout.Trim());
        Assert.Equal("(2,)", Call(rig, acload, "/Position", "SetValue", "<2>").Stdout.Trim());
        Assert.Equal("(<1>,)", Call(rig, acload, "/Position", "GetValue").Stdout.Trim());
    }
}
