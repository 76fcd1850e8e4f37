using System.Text;
using System.Text.Json;
using MeterBridge.Mqtt;
using Xunit;

namespace MeterBridge.Tests.Mqtt;

public sealed class StatusJsonTests
{
    private static readonly BridgeStatus Fresh = new(MeterHealth.Fresh, "com.victronenergy.grid.mqtt_grid_100", "grid", 101);

    [Fact]
    public void The_state_is_one_object_with_every_member_and_null_for_no_rejection()
    {
        string text = Encoding.UTF8.GetString(StatusJson.State(Fresh, null));
        Assert.Equal("""{"state":"fresh","service":"com.victronenergy.grid.mqtt_grid_100","role":"grid","device_instance":101,"last_rejected":null}""", text);
    }

    [Fact]
    public void Each_health_has_its_word()
    {
        foreach (var (health, word) in new[] { (MeterHealth.Waiting, "waiting"), (MeterHealth.Fresh, "fresh"), (MeterHealth.Stale, "stale") })
        {
            using var json = JsonDocument.Parse(StatusJson.State(Fresh with { State = health }, null));
            Assert.Equal(word, json.RootElement.GetProperty("state").GetString());
        }
    }

    [Fact]
    public void A_rejection_reason_is_escaped_where_JSON_needs_it_and_stays_readable_elsewhere()
    {
        const string reason = "grid.power = 999999 W is outside ±69000 W \"quoted\" \\ \n\u0001";
        byte[] state = StatusJson.State(Fresh, reason);
        using var json = JsonDocument.Parse(state);
        Assert.Equal(reason, json.RootElement.GetProperty("last_rejected").GetString());
        Assert.Contains("±69000", Encoding.UTF8.GetString(state));
        Assert.DoesNotContain("\n", Encoding.UTF8.GetString(state)); // one line in mosquitto_sub -v
    }

    [Fact]
    public void The_topics_hang_under_status_topic()
    {
        Assert.Equal("home/meter/status", StatusJson.StatusTopic("home/meter"));
        Assert.Equal("home/meter/state", StatusJson.StateTopic("home/meter"));
    }
}
