using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeterBridge.Mqtt;

/// <summary>
/// MQTTnet puts every received PUBLISH into a queue that another thread-pool task empties: one thread wake-up per
/// message, which costs more CPU than everything else a message does (README, Performance). This adapter sits
/// between MQTTnet's client and its connection and hands QoS 0 payloads to the bridge on the thread that read them.
/// Every other packet (CONNACK, SUBACK, PINGRESP, QoS 1 publishes that need a PUBACK) goes on to MQTTnet as before.
/// Use it only with a QoS 0 subscription: the broker then sends every message at QoS 0, so they all come this way, in order.
/// </summary>
public sealed class DirectPayloadAdapterFactory(Action<ReadOnlySequence<byte>> onPayload) : IMqttClientAdapterFactory
{
    private readonly MqttClientAdapterFactory _inner = new();

    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger) =>
        new DirectPayloadAdapter(_inner.CreateClientAdapter(options, packetInspector, logger), onPayload);

    private sealed class DirectPayloadAdapter(IMqttChannelAdapter inner, Action<ReadOnlySequence<byte>> onPayload) : IMqttChannelAdapter
    {
        public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var packet = await inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
                if (packet is not MqttPublishPacket { QualityOfServiceLevel: MqttQualityOfServiceLevel.AtMostOnce } publish) return packet;
                onPayload(publish.Payload);
            }
        }

        public long BytesReceived => inner.BytesReceived;
        public long BytesSent => inner.BytesSent;
        public X509Certificate2 ClientCertificate => inner.ClientCertificate;
        public EndPoint RemoteEndPoint => inner.RemoteEndPoint;
        public EndPoint LocalEndPoint => inner.LocalEndPoint;
        public bool IsSecureConnection => inner.IsSecureConnection;
        public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;
        public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);
        public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);
        public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);
        public void ResetStatistics() => inner.ResetStatistics();
        public void Dispose() => inner.Dispose();
    }
}
