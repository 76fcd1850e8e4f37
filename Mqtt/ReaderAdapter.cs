using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;

namespace MeterBridge.Mqtt;

/// <summary>
/// The connection under MQTTnet's client (MQTTnet's own, wrapped), with two changes that save thread wake-ups,
/// which on a small CPU cost far more than a message itself (docs/performance.md):
/// <list type="bullet">
/// <item>With a QoS 0 subscription a reader thread of ours reads the connection (ReaderAdapter.Reader.cs): payloads go
/// to the bridge on that thread, and between two D-Bus updates it does not read at all. Only packets MQTTnet must see
/// (CONNACK, SUBACK, …) are handed on. With QoS 1, MQTTnet reads, and acknowledges every PUBLISH.</item>
/// <item>The keep-alive is a timer here, one tick per half keep-alive: MQTTnet's loop wakes four times a second to
/// ask whether a PINGREQ is due. MQTTnet is given keep-alive 0 (no loop); the CONNECT carries the real one.</item>
/// </list>
/// </summary>
internal sealed partial class ReaderAdapter(IMqttChannelAdapter inner, TimeSpan keepAlive, QosZeroReading? qos0)
    : IMqttChannelAdapter
{
    private Timer? _keepAliveTimer;
    private long _lastSent = Environment.TickCount64;
    private long _lastReceived = Environment.TickCount64;
    private volatile bool _brokerSilent;
    private bool _connAcked; // set and read by the one thread that reads at a time

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await inner.ConnectAsync(cancellationToken).ConfigureAwait(false);
        if (qos0 is { } reading) StartReader(reading);
    }

    public Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken) =>
        _handOver is null ? ReceiveFromMqttNetAsync(cancellationToken) : ReceiveFromReaderAsync(cancellationToken);

    /// <summary>QoS 1: MQTTnet's own reading, less the PINGRESPs that answer our keep-alive.</summary>
    private async Task<MqttPacket> ReceiveFromMqttNetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            MqttPacket packet;
            try { packet = await inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false); }
            catch (Exception error) when (_brokerSilent) { throw BrokerSilent(error); }
            if (Received(packet)) return packet;
        }
    }

    /// <summary>
    /// Bookkeeping for every packet read, on whichever thread reads: false for a packet handled here (a PINGRESP),
    /// true for one that goes on. A connection found silent ends here, and so does one whose broker broke the standard
    /// (<see cref="BrokerViolationException"/>) or sent a DISCONNECT (<see cref="BrokerEndedException"/>, its reason in words).
    /// </summary>
    private bool Received(MqttPacket? packet)
    {
        Heard();
        switch (packet)
        {
            case MqttPingRespPacket:
                return false; // answers our PINGREQ; MQTTnet has none outstanding
            case MqttConnAckPacket connAck:
                _connAcked = true;
                StartKeepAlive(connAck);
                return true;
            case MqttPublishPacket publish: // QoS 1: MQTTnet decoded it (QoS 0 PUBLISH packets are checked by PacketReader)
                PublishArrived();
                if ((int)publish.QualityOfServiceLevel == 3) throw new BrokerViolationException("the broker sent a PUBLISH with QoS 3, which does not exist");
                if (publish.Topic.Length == 0) throw new BrokerViolationException("the broker sent a PUBLISH with an empty topic");
                return true;
            case MqttDisconnectPacket disconnect:
                throw new BrokerEndedException("the broker ended the connection: " + ReasonWords.Of((int)disconnect.ReasonCode)
                    + (string.IsNullOrEmpty(disconnect.ReasonString) ? "" : $" (\"{disconnect.ReasonString}\")"));
            default:
                return true;
        }
    }

    /// <summary>A PUBLISH may only follow the CONNACK: one before it would be applied from a connection not yet accepted.</summary>
    private void PublishArrived()
    {
        if (!_connAcked) throw new BrokerViolationException("the broker sent a PUBLISH before its CONNACK");
    }

    /// <summary>Something came from the broker; a connection found silent ends here instead.</summary>
    private void Heard()
    {
        if (_brokerSilent) throw BrokerSilent(null); // MQTTnet reads a closed connection as "no packet"
        Volatile.Write(ref _lastReceived, Environment.TickCount64);
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
    /// While our reader sits out an update interval nothing is read, so silence cannot be told: it reads again
    /// within one interval, and a silent broker is noticed at the next tick.
    /// </summary>
    private void OnKeepAliveTick()
    {
        long now = Environment.TickCount64;
        long period = (long)keepAlive.TotalMilliseconds;
        if (now - Volatile.Read(ref _lastReceived) >= period * 3 / 2 && !_readerWaits)
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
        StopReader();
        inner.Dispose();
    }

    public long BytesReceived => inner.BytesReceived;
    public long BytesSent => inner.BytesSent;
    public X509Certificate2 ClientCertificate => inner.ClientCertificate;
    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;
    public EndPoint LocalEndPoint => inner.LocalEndPoint;
    public bool IsSecureConnection => inner.IsSecureConnection;
    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;
    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);
    public void ResetStatistics() => inner.ResetStatistics();
}
