using System.Diagnostics;
using MeterBridge.Tests.EndToEnd;
using MeterBridge.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MeterBridge.Tests.GxApp;

/// <summary>
/// <c>meterbridge app</c> follows a meter's settings as the GUI, <c>dbus -y</c> or MQTT W/ change them (SetValue on the
/// settings service): a new topic is read, a new role registers the new name, a bad value is refused with its reason
/// and changes nothing on the meter's service.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AppFollowTests(ITestOutputHelper output)
{
    private const int N = 100;


    [Fact]
    public void A_meter_follows_a_new_topic_and_a_new_role_set_over_D_Bus_within_a_second()
    {
        using var rig = new AppRig();
        rig.Broker.Publish("app/a", """{"grid":{"power":500.0}}""", "-r");
        rig.Broker.Publish("app/b", """{"grid":{"power":700.0}}""", "-r");
        var app = rig.StartApp();
        Assert.Equal("(0,)", rig.Set(AppRig.Control, "/Meters/Add", $"<int32 {N}>"));
        Assert.True(AppRig.WaitFor(() => rig.Get(AppRig.Settings, AppRig.Setting(N, "Topic")) is not null), app.Log);
        Assert.Equal("(0,)", rig.Set(AppRig.Settings, AppRig.Setting(N, "BrokerPort"), $"<int32 {rig.Broker.Port}>"));
        Assert.Equal("(0,)", rig.Set(AppRig.Settings, AppRig.Setting(N, "Topic"), "<'app/a'>"));
        rig.WaitForValue(AppRig.GridService(N), "/Ac/Power", "(<500.0>,)", app);
        rig.WaitForValue(AppRig.Control, $"/Meters/{N}/State", AppRig.Text("fresh"), app);
        rig.WaitForValue(AppRig.Control, $"/Meters/{N}/Service", AppRig.Text(AppRig.GridService(N)), app);

        var times = new List<double>();
        string[] topics = ["app/b", "app/a", "app/b", "app/a", "app/b"];
        foreach (string topic in topics)
        {
            string expected = topic == "app/b" ? "(<700.0>,)" : "(<500.0>,)";
            var clock = Stopwatch.StartNew();
            Assert.Equal("(0,)", rig.Set(AppRig.Settings, AppRig.Setting(N, "Topic"), $"<'{topic}'>"));
            rig.WaitForValue(AppRig.GridService(N), "/Ac/Power", expected, app);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine($"SetValue Topic -> first value of the new topic on D-Bus: median {times[times.Count / 2]:0} ms, all {string.Join(", ", times.Select(t => t.ToString("0")))} ms");
        Assert.Contains(app.Lines, line => line == $"meter {N}: INFO connected to 127.0.0.1:{rig.Broker.Port}, subscribed to app/b");
        Assert.Equal(1, rig.MeterProcesses(N));

        // The role is kept where Victron keeps it; the meter follows it itself and registers anew.
        Assert.Equal("(0,)", rig.Set(AppRig.Settings, $"/Settings/Devices/mqtt_{N}/ClassAndVrmInstance", "<'acload:100'>"));
        rig.WaitForValue($"com.victronenergy.acload.mqtt_acload_{N}", "/Ac/Power", "(<700.0>,)", app);
        Assert.True(AppRig.WaitFor(() => !rig.OnBus(AppRig.GridService(N))), app.Log);
        rig.WaitForValue(AppRig.Control, $"/Meters/{N}/Service", AppRig.Text($"com.victronenergy.acload.mqtt_acload_{N}"), app);
        rig.StopApp(app);
        Assert.False(rig.OnBus($"com.victronenergy.acload.mqtt_acload_{N}"));
        Assert.Equal(0, rig.MeterProcesses(N));
    }

    [Theory]
    [InlineData("Topic", "<'a/#/b'>", "Topic \"a/#/b\": ")]
    [InlineData("Format", "<'nonsense'>", "Format \"nonsense\": is not a format")]
    [InlineData("Mapping", "<'power'>", "Mapping line 1 \"power\": is not \"key = rule\"")]
    [InlineData("Mapping", "<'energy = app/a /grid/power'>", "Mapping: ")]
    [InlineData("BrokerPort", "<int32 70000>", "BrokerPort 70000: is not a port number 1 to 65535")]
    public void A_bad_value_is_refused_with_its_reason_and_the_meter_serves_on_unchanged(string setting, string variant, string reason)
    {
        using var rig = new AppRig(port => AppRig.Meter(N, port, "app/a"));
        rig.Broker.Publish("app/a", """{"grid":{"power":500.0}}""", "-r");
        var app = rig.StartApp();
        rig.WaitForValue(AppRig.GridService(N), "/Ac/Power", "(<500.0>,)", app);
        rig.WaitForValue(AppRig.Control, $"/Meters/{N}/State", AppRig.Text("fresh"), app);
        string? owner = rig.Owner(AppRig.GridService(N));
        int starts = app.Lines.Count(l => l.Contains($"meter {N}: INFO meterbridge "));

        Assert.Equal("(0,)", rig.Set(AppRig.Settings, AppRig.Setting(N, setting), variant));
        rig.WaitForValue(AppRig.Control, $"/Meters/{N}/State", AppRig.Text("settings"), app);
        string? shown = rig.ControlValue($"/Meters/{N}/Reason");
        Assert.True(shown is not null && shown.Replace("\\", "")[3..].StartsWith(reason), $"reason {shown}, wanted {reason}"); // gdbus quotes with ' or "
        Assert.Contains(app.Lines, l => l.StartsWith($"WARNING meter {N}: setting refused: {reason}"));

        rig.Broker.Publish("app/a", """{"grid":{"power":510.0}}""", "-r");
        rig.WaitForValue(AppRig.GridService(N), "/Ac/Power", "(<510.0>,)", app);
        Assert.Equal(owner, rig.Owner(AppRig.GridService(N)));
        Assert.Equal(starts, app.Lines.Count(l => l.Contains($"meter {N}: INFO meterbridge ")));
        Assert.Equal(1, rig.MeterProcesses(N));
        rig.WaitForValue(AppRig.Control, $"/Meters/{N}/Service", AppRig.Text(AppRig.GridService(N)), app);

        // Put right, it is taken (the meter restarts only if the good value differs from what it runs on).
        var good = setting switch { "BrokerPort" => $"<int32 {rig.Broker.Port}>", "Topic" => "<'app/a'>", "Format" => "<'dbus-mqtt-grid'>", _ => "<''>" };
        Assert.Equal("(0,)", rig.Set(AppRig.Settings, AppRig.Setting(N, setting), good));
        rig.WaitForValue(AppRig.Control, $"/Meters/{N}/State", AppRig.Text("fresh"), app);
        Assert.Equal(AppRig.Text(""), rig.ControlValue($"/Meters/{N}/Reason"));
        Assert.Equal(owner, rig.Owner(AppRig.GridService(N)));
    }
}
