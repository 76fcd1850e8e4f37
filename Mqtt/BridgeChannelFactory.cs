using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Implementations;

namespace MeterBridge.Mqtt;

/// <summary>Makes MQTTnet's connection for each connect, wrapped in a <see cref="BridgeChannel"/>.</summary>
/// <param name="keepAlive">As configured; MQTTnet's options must say zero. Zero: no keep-alive.</param>
/// <param name="qos0">The QoS 0 reader's parts: where payloads go and the blocking socket they come from; null
/// (a QoS 1 subscription): every PUBLISH goes to MQTTnet, which acknowledges it.</param>
public sealed class BridgeChannelFactory(TimeSpan keepAlive, (IPayloadSink Sink, BlockingSocketConnector Socket)? qos0) : IMqttClientAdapterFactory
{
    private readonly MqttClientAdapterFactory _inner = new();

    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger) =>
        new BridgeChannel(_inner.CreateClientAdapter(options, packetInspector, logger), keepAlive, qos0);
}
