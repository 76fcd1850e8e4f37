using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;

namespace MeterBridge.Mqtt;

/// <summary>
/// Makes MQTTnet's connection for each connect as MQTTnet's MqttClientAdapterFactory does for a TCP broker, with an
/// <see cref="OversizedPublishFilter"/> between the socket and MQTTnet's packet reader, wrapped in a <see cref="ReaderAdapter"/>.
/// </summary>
/// <param name="keepAlive">As configured; MQTTnet's options must say zero. Zero: no keep-alive.</param>
/// <param name="sink">Where QoS 0 payloads go, and who is told the size of each dropped PUBLISH.</param>
/// <param name="qos0Socket">The blocking socket a QoS 0 subscription is read from by our reader thread; null (QoS 1):
/// every PUBLISH goes to MQTTnet, which acknowledges it.</param>
/// <param name="maxPublishLength">A PUBLISH with a longer remaining length is dropped unread.</param>
internal sealed class ReaderAdapterFactory(TimeSpan keepAlive, IPayloadSink sink, BlockingSocketConnector? qos0Socket, long maxPublishLength)
    : IMqttClientAdapterFactory
{
    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        var tcp = new MqttTcpChannel(options);
        var channel = new OversizedPublishFilter(tcp, maxPublishLength, sink.OnOversized);
        var formatter = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
        var adapter = new MqttChannelAdapter(channel, formatter, logger)
        {
            AllowPacketFragmentation = options.AllowPacketFragmentation,
            PacketInspector = packetInspector,
        };
        // The QoS 0 reader cuts packets out of the bytes itself (PacketReader), oversized ones included; MQTTnet's reader over
        // the filter serves QoS 1. Either way MQTTnet's adapter connects, sends and closes.
        return new ReaderAdapter(adapter, keepAlive,
            qos0Socket is null ? null : new QosZeroReading(sink, qos0Socket, new PacketReader(tcp, formatter, maxPublishLength)));
    }
}

/// <summary>What the QoS 0 reader thread needs: where payloads go, the blocking socket, and the packet reader over it.</summary>
internal sealed record QosZeroReading(IPayloadSink Sink, BlockingSocketConnector Socket, PacketReader Packets);
