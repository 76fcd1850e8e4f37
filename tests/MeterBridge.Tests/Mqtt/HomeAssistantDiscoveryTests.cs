using System.Text.Json;
using MeterBridge.Mqtt;
using Xunit;

namespace MeterBridge.Tests.Mqtt;

public sealed class HomeAssistantDiscoveryTests
{
    private static readonly IReadOnlyList<(string Topic, byte[] Payload)> Configs =
        HomeAssistantDiscovery.Configs("meterbridge/100", HomeAssistantDiscovery.NodeId("c0619ab1a2b3", 100), 100, "1.2.3");

    private static JsonElement Config(string component) =>
        JsonDocument.Parse(Configs.Single(c => c.Topic.StartsWith($"homeassistant/{component}/")).Payload).RootElement;

    [Theory]
    [InlineData("c0619ab1a2b3", 100, "meterbridge_c0619ab1a2b3_100")]
    [InlineData("gx.local", 7, "meterbridge_gx_local_7")]
    [InlineData("Ünï code/+#", 0, "meterbridge__n__code____0")]
    public void The_node_id_holds_only_what_HA_allows(string host, int instance, string expected) =>
        Assert.Equal(expected, HomeAssistantDiscovery.NodeId(host, instance));

    [Fact]
    public void Two_configs_under_homeassistant_each_valid_JSON_with_its_own_unique_id()
    {
        Assert.Equal(["homeassistant/binary_sensor/meterbridge_c0619ab1a2b3_100/status/config",
            "homeassistant/sensor/meterbridge_c0619ab1a2b3_100/state/config"], Configs.Select(c => c.Topic));
        var ids = Configs.Select(c => JsonDocument.Parse(c.Payload).RootElement.GetProperty("unique_id").GetString()).ToList();
        Assert.Equal(["meterbridge_c0619ab1a2b3_100_status", "meterbridge_c0619ab1a2b3_100_state"], ids);
        // Another bridge on the same GX (another device_instance) gets other ids.
        var other = HomeAssistantDiscovery.Configs("meterbridge/101", HomeAssistantDiscovery.NodeId("c0619ab1a2b3", 101), 101, "1.2.3");
        Assert.Empty(other.Select(c => JsonDocument.Parse(c.Payload).RootElement.GetProperty("unique_id").GetString()).Intersect(ids));
    }

    [Fact]
    public void The_connectivity_sensor_reads_the_status_topic()
    {
        var config = Config("binary_sensor");
        Assert.Equal("connectivity", config.GetProperty("device_class").GetString());
        Assert.Equal("meterbridge/100/status", config.GetProperty("state_topic").GetString());
        Assert.Equal("online", config.GetProperty("payload_on").GetString());
        Assert.Equal("offline", config.GetProperty("payload_off").GetString());
    }

    [Fact]
    public void The_state_sensor_takes_its_value_and_attributes_from_the_state_JSON_and_is_unavailable_while_offline()
    {
        var config = Config("sensor");
        Assert.Equal("meterbridge/100/state", config.GetProperty("state_topic").GetString());
        Assert.Equal("meterbridge/100/state", config.GetProperty("json_attributes_topic").GetString());
        Assert.Equal("{{ value_json.state }}", config.GetProperty("value_template").GetString());
        Assert.Equal("meterbridge/100/status", config.GetProperty("availability_topic").GetString());
        Assert.Equal(["waiting", "fresh", "stale"], config.GetProperty("options").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public void Both_belong_to_one_device()
    {
        var devices = Configs.Select(c => JsonDocument.Parse(c.Payload).RootElement.GetProperty("device")).ToList();
        Assert.All(devices, d => Assert.Equal(["meterbridge_c0619ab1a2b3_100"], d.GetProperty("identifiers").EnumerateArray().Select(i => i.GetString())));
        Assert.All(devices, d => Assert.Equal("1.2.3", d.GetProperty("sw_version").GetString()));
    }
}
