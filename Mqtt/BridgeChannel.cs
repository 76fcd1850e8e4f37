using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeterBridge.Mqtt;

/// <summary>
/// The connection under MQTTnet's client (MQTTnet's own, wrapped), with two changes that save thread wake-ups,
/// which on a small CPU cost far more than a message itself (README, Performance):
/// <list type="bullet">
/// <item>QoS 0 payloads go to the bridge on the thread that read them. MQTTnet would queue every PUBLISH for another
/// thread-pool task. Only for a QoS 0 subscription: the broker then sends every message at QoS 0, so they all come
/// this way, in order. Everything else (CONNACK, SUBACK, QoS 1 publishes that need a PUBACK) goes on to MQTTnet.</item>
/// <item>The keep-alive is a timer here, one tick per half keep-alive: MQTTnet's loop wakes four times a second to
/// ask whether a PINGREQ is due. MQTTnet is given keep-alive 0 (no loop); the CONNECT carries the real one.</item>
/// </list>
/// </summary>
/// <param name="keepAlive">As configured; MQTTnet's options must say zero. Zero: no keep-alive.</param>
/// <param name="onPayload">Takes QoS 0 payloads; null: every PUBLISH goes to MQTTnet.</param>
/// <param name="maxPublishLength">A PUBLISH with a longer remaining length is dropped unread (<see cref="OversizedPublishFilter"/>).</param>
/// <param name="onOversized">Told the size of each dropped PUBLISH.</param>
public sealed class BridgeChannelFactory(TimeSpan keepAlive, Action<string, ReadOnlySequence<byte>>? onPayload,
    long maxPublishLength, Action<long> onOversized) : IMqttClientAdapterFactory
{
    /// <summary>What MQTTnet's MqttClientAdapterFactory builds for a TCP broker, with the oversize filter under the packet reader.</summary>
    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        var channel = new OversizedPublishFilter(new MqttTcpChannel(options), maxPublishLength, onOversized);
        var formatter = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
        var adapter = new MqttChannelAdapter(channel, formatter, logger)
        {
            AllowPacketFragmentation = options.AllowPacketFragmentation,
            PacketInspector = packetInspector,
        };
        return new BridgeChannel(adapter, keepAlive, onPayload);
    }

    private sealed class BridgeChannel(IMqttChannelAdapter inner, TimeSpan keepAlive, Action<string, ReadOnlySequence<byte>>? onPayload) : IMqttChannelAdapter
    {
        private Timer? _keepAliveTimer;
        private long _lastSent = Environment.TickCount64;
        private long _lastReceived = Environment.TickCount64;
        private volatile bool _brokerSilent;

        public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                MqttPacket packet;
                try { packet = await inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false); }
                catch (Exception error) when (_brokerSilent) { throw BrokerSilent(error); }
                if (_brokerSilent) throw BrokerSilent(null); // MQTTnet reads a closed connection as "no packet"
                Volatile.Write(ref _lastReceived, Environment.TickCount64);
                switch (packet)
                {
                    case MqttPublishPacket { QualityOfServiceLevel: MqttQualityOfServiceLevel.AtMostOnce } publish when onPayload is not null:
                        onPayload(publish.Topic, publish.Payload);
                        continue;
                    case MqttPingRespPacket:
                        continue; // answers our PINGREQ; MQTTnet has none outstanding
                    case MqttConnAckPacket connAck:
                        StartKeepAlive(connAck);
                        return packet;
                    default:
                        return packet;
                }
            }
        }

        private BrokerSilentException BrokerSilent(Exception? error) =>
            new($"no answer from the broker for {keepAlive.TotalSeconds * 1.5:0.#} s", error);

        public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken)
        {
            if (packet is MqttConnectPacket connect) connect.KeepAlivePeriod = (ushort)keepAlive.TotalSeconds;
            Volatile.Write(ref _lastSent, Environment.TickCount64);
            return inner.SendPacketAsync(packet, cancellationToken);
        }

        /// <summary>An MQTT 5 broker may impose its own keep-alive; MQTTnet must not see it, or it would start its loop.</summary>
        private void StartKeepAlive(MqttConnAckPacket connAck)
        {
            if (connAck.ServerKeepAlive > 0)
            {
                keepAlive = TimeSpan.FromSeconds(connAck.ServerKeepAlive);
                connAck.ServerKeepAlive = 0;
            }
            if (keepAlive <= TimeSpan.Zero) return;
            var tick = keepAlive / 2;
            _keepAliveTimer = new Timer(_ => OnKeepAliveTick(), null, tick, tick);
        }

        /// <summary>
        /// A PINGREQ when nothing was sent for half a keep-alive; the connection is dropped when nothing came back for
        /// one and a half (the rule the broker applies to us), and MQTTnet's client reports it lost and reconnects.
        /// </summary>
        private void OnKeepAliveTick()
        {
            long now = Environment.TickCount64;
            long period = (long)keepAlive.TotalMilliseconds;
            if (now - Volatile.Read(ref _lastReceived) >= period * 3 / 2)
            {
                _brokerSilent = true;
                _keepAliveTimer?.Dispose();
                inner.Dispose();
                return;
            }
            if (now - Volatile.Read(ref _lastSent) >= period / 2 - 50)
                _ = PingAsync();
        }

        private async Task PingAsync()
        {
            try { await SendPacketAsync(MqttPingReqPacket.Instance, CancellationToken.None).ConfigureAwait(false); }
            catch (Exception) { /* the connection is going; the receive loop reports why */ }
        }

        public void Dispose()
        {
            _keepAliveTimer?.Dispose();
            inner.Dispose();
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
        public void ResetStatistics() => inner.ResetStatistics();
    }
}
