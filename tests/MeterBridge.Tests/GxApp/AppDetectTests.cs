using System.Text.Json;
using MeterBridge.Tests.Detect;
using MeterBridge.Tests.EndToEnd;
using Xunit;

namespace MeterBridge.Tests.GxApp;

/// <summary>
/// Detect started over D-Bus (<c>/Detect/Start N</c>) listens to meter N's broker, lists what it finds in
/// <c>/Detect/Result</c>, and <c>/Detect/Apply k</c> makes the meter read result k.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AppDetectTests
{
    private const int N = 100;

    [Fact]
    public void Detect_over_D_Bus_lists_the_three_meters_of_a_broker_and_applying_one_makes_the_meter_show_its_values()
    {
        using var rig = new AppRig(port => AppRig.Meter(N, port, "nothing/here"));
        foreach (var message in HomeBroker.Messages.Where(m => m.Topic.StartsWith(HomeBroker.Pro3em + "/status") || m.Topic == HomeBroker.Pzem || m.Topic == HomeBroker.Plug))
            rig.Broker.Publish(message.Topic, message.Payload, "-r");
        var app = rig.StartApp();
        rig.WaitForValue(AppRig.Control, $"/Meters/{N}/State", AppRig.Text("waiting"), app);
        Assert.Equal("(<'idle'>,)", rig.ControlValue("/Detect/State"));
        Assert.Equal("(2,)", rig.Set(AppRig.Control, "/Detect/Start", "<int32 7>"));

        Assert.Equal("(0,)", rig.Set(AppRig.Control, "/Detect/Start", $"<int32 {N}>"));
        Assert.Equal(AppRig.Text("listening"), rig.ControlValue("/Detect/State"));
        Assert.Equal($"(<{N}>,)", rig.ControlValue("/Detect/Meter"));
        Assert.True(AppRig.WaitFor(() => rig.ControlValue("/Detect/SecondsLeft") is "(<13>,)" or "(<12>,)" or "(<11>,)"), "SecondsLeft did not tick: " + rig.ControlValue("/Detect/SecondsLeft"));
        rig.WaitForValue(AppRig.Control, "/Detect/State", AppRig.Text("done"), app, TimeSpan.FromSeconds(25)); // stops by itself after 15 s
        Assert.Equal("(<0>,)", rig.ControlValue("/Detect/SecondsLeft"));
        Assert.Equal(AppRig.Text(""), rig.ControlValue("/Detect/Error"));

        var result = Tools.Run("busctl", "--address=" + rig.Bus.Address, "call", AppRig.Control, "/Detect/Result", "com.victronenergy.BusItem", "GetValue", "--json=short");
        using var json = JsonDocument.Parse(JsonDocument.Parse(result).RootElement.GetProperty("data")[0].GetProperty("data").GetString()!);
        var found = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(((string[])[HomeBroker.Plug, HomeBroker.Pro3em, HomeBroker.Pzem]).Order(StringComparer.Ordinal), found.Select(m => m.GetProperty("topic").GetString()).Order(StringComparer.Ordinal));
        int k = found.FindIndex(m => m.GetProperty("topic").GetString() == HomeBroker.Pzem);
        Assert.Equal("tasmota-energy", found[k].GetProperty("format").GetString());

        Assert.Equal("(2,)", rig.Set(AppRig.Control, "/Detect/Apply", "<int32 3>"));
        Assert.Equal("(0,)", rig.Set(AppRig.Control, "/Detect/Apply", $"<int32 {k}>"));
        rig.WaitForValue(AppRig.GridService(N), "/Ac/L2/Power", "(<110.0>,)", app);
        rig.WaitForValue(AppRig.Control, $"/Meters/{N}/State", AppRig.Text("fresh"), app);
        Assert.Equal(AppRig.Text("tasmota-energy"), rig.Get(AppRig.Settings, AppRig.Setting(N, "Format")));
        Assert.Equal(AppRig.Text(HomeBroker.Pzem), rig.Get(AppRig.Settings, AppRig.Setting(N, "Topic")));

        // Stopped early, it keeps what it found so far; it never published on the broker (a retained message would show).
        Assert.Equal("(0,)", rig.Set(AppRig.Control, "/Detect/Start", $"<int32 {N}>"));
        Assert.True(AppRig.WaitFor(() => rig.ControlValue("/Detect/SecondsLeft") is "(<13>,)" or "(<12>,)"), app.Log);
        Assert.Equal("(0,)", rig.Set(AppRig.Control, "/Detect/Stop", "<int32 1>"));
        rig.WaitForValue(AppRig.Control, "/Detect/State", AppRig.Text("done"), app, TimeSpan.FromSeconds(5));
        Assert.Contains(HomeBroker.Plug, rig.ControlValue("/Detect/Result"));
    }

    [Fact]
    public void Detect_on_a_broker_that_is_not_there_fails_with_the_brokers_error()
    {
        int port = Infrastructure.Mosquitto.FreePort();
        using var rig = new AppRig(_ => AppRig.Meter(N, port, "x"));
        var app = rig.StartApp();
        rig.WaitForValue(AppRig.Control, $"/Meters/{N}/State", AppRig.Text("broker"), app);
        Assert.Equal("(0,)", rig.Set(AppRig.Control, "/Detect/Start", $"<int32 {N}>"));
        rig.WaitForValue(AppRig.Control, "/Detect/State", AppRig.Text("failed"), app, TimeSpan.FromSeconds(25));
        Assert.Contains($"127.0.0.1:{port}", rig.ControlValue("/Detect/Error"));
        Assert.Equal("(2,)", rig.Set(AppRig.Control, "/Detect/Apply", "<int32 0>"));
    }

    private static class Tools
    {
        public static string Run(string file, params string[] args)
        {
            var result = Infrastructure.Tool.Run(file, args);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Stdout;
        }
    }
}
