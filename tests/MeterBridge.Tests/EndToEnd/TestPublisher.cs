using MQTTnet;
using MQTTnet.Protocol;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// An MQTTnet client in the test process, for payloads mosquitto_pub cannot carry in bulk (binary, megabytes,
/// thousands a second). QoS 1 puts every message safely into the broker; what the broker then drops on its
/// way to the bridge's QoS 0 subscription is the bridge's problem to survive, not this publisher's.
/// </summary>
public sealed class TestPublisher : IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public TestPublisher(int port)
    {
        _client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("test-publisher-" + Guid.NewGuid().ToString("N")[..8])
            .WithTimeout(TimeSpan.FromSeconds(30)).Build()).GetAwaiter().GetResult();
    }

    /// <summary>One message, waiting for the broker's PUBACK at QoS 1.</summary>
    public void Publish(byte[] payload, bool qos1 = true) => PublishAsync(payload, qos1).GetAwaiter().GetResult();

    public Task PublishAsync(byte[] payload, bool qos1 = true) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Rig.Topic).WithPayload(payload)
            .WithQualityOfServiceLevel(qos1 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce).Build());

    /// <summary>Every payload in order at QoS 1, up to <paramref name="window"/> unacknowledged at a time.</summary>
    public void PublishAll(IEnumerable<byte[]> payloads, int window = 64)
    {
        var pending = new Queue<Task>();
        foreach (var payload in payloads)
        {
            if (pending.Count >= window) pending.Dequeue().GetAwaiter().GetResult();
            pending.Enqueue(PublishAsync(payload));
        }
        while (pending.Count > 0) pending.Dequeue().GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        try { _client.DisconnectAsync().Wait(2000); } catch (Exception) { /* the broker may be gone */ }
        _client.Dispose();
    }
}
