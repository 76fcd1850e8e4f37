using MeterBridge.Tests.EndToEnd;
using MeterBridge.Tests.GxApp;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Gui;

/// <summary>
/// Every uid the pages read, as the offscreen run recorded it, answers GetValue on the live services: the real
/// <c>meterbridge app</c> with two meters on a private bus, their settings on the settings stand-in, and a meter's own
/// service with all three phases. A path the pages bind that no service of ours has would fail here, not on a GX.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class GuiLiveServicesTests
{
    [Fact]
    public void Every_path_the_pages_read_exists_on_the_live_services()
    {
        using var gui = new GuiRun();
        Assert.True(gui.Result.ExitCode == 0, gui.Result.Stdout + gui.Result.Stderr);
        string[] uids = gui.Lines("uids-dbus.txt");
        Assert.True(uids.Length > 30, $"only {uids.Length} uids recorded");

        using var rig = new AppRig(port => new Dictionary<string, object>
        {
            ["/Settings/MeterBridge/Meters"] = "100,101",
            [AppRig.Setting(100, "BrokerPort")] = port,
            [AppRig.Setting(100, "Topic")] = "live/a",
            [AppRig.Setting(101, "BrokerPort")] = port,
            [AppRig.Setting(101, "Topic")] = "live/b",
        });
        rig.Broker.Publish("live/a", new FullPayload(1000).Text, "-r");
        rig.Broker.Publish("live/b", new FullPayload(2000).Text, "-r");
        var app = rig.StartApp();
        foreach (int meter in new[] { 100, 101 })
            rig.WaitForValue(AppRig.Control, $"/Meters/{meter}/State", AppRig.Text("fresh"), app);

        var missing = new List<string>();
        foreach (string uid in uids)
        {
            string[] parts = uid.Split(' ', 2);
            string service = parts[0] switch
            {
                "com.victronenergy.grid" => AppRig.GridService(100), // the device-list page's device
                var name => name,
            };
            if (rig.Get(service, parts[1]) is null) missing.Add(uid);
        }
        Assert.True(missing.Count == 0, "read by a page, absent on our services:\n" + string.Join('\n', missing) + "\nlog:\n" + app.Log);
        rig.StopApp(app);
    }
}
