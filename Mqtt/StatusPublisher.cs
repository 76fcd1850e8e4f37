using System.Diagnostics;
using System.Text;
using MeterBridge.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace MeterBridge.Mqtt;

/// <summary>
/// The bridge's health on the broker it reads from (status_topic, README "Home Assistant"), all retained, QoS 0:
/// <c>…/status</c> <c>online</c> after each connect and <c>offline</c> as the will and on a clean stop; <c>…/state</c>
/// (<see cref="StatusJson"/>) when it changes and after each connect; with ha_discovery the <see cref="HomeAssistantDiscovery"/>
/// configs after each connect.
/// <para>
/// No thread or timer of its own, so nothing wakes for it: the connect's task publishes what a connect needs, and the
/// hot loop's publisher thread publishes a changed state inline (with QoS 0 MQTTnet writes our blocking socket from the
/// calling thread). The state goes out at most once a second (<see cref="StateInterval"/>): what changes meanwhile is
/// merged into the next one, at a deadline the publisher thread sleeps to. A rejection wakes that thread only when
/// its kind is new and nothing waits yet, so a flood of rejections costs a wake-up and a publish a second at most.
/// </para>
/// </summary>
/// <param name="root">status_topic, not empty.</param>
/// <param name="discovery">The HA discovery messages, or none.</param>
internal sealed class StatusPublisher(string root, IReadOnlyList<(string Topic, byte[] Payload)> discovery, Log log) : IStatusSink
{
    public static readonly TimeSpan StateInterval = TimeSpan.FromSeconds(1);
    private static readonly long IntervalTicks = Stopwatch.Frequency * (long)StateInterval.TotalMilliseconds / 1000;
    private static readonly byte[] OnlinePayload = Encoding.ASCII.GetBytes(StatusJson.Online);
    private static readonly byte[] OfflinePayload = Encoding.ASCII.GetBytes(StatusJson.Offline);

    private readonly string _statusTopic = StatusJson.StatusTopic(root);
    private readonly string _stateTopic = StatusJson.StateTopic(root);
    private readonly Lock _gate = new();
    /// <summary>Held while sending: the state the broker keeps is the newest, whichever thread sent it.</summary>
    private readonly Lock _sending = new();

    // Under the gate.
    private IMqttClient? _client; // connected and subscribed; null: nothing is sent
    private BridgeStatus? _status;
    private string? _rejected;
    private string? _rejectedKind;
    private bool _pending;        // a change the broker has not got yet
    private long _lastSent;       // when the state last went out (Stopwatch)

    // Under _sending.
    private byte[]? _held;        // the state the broker holds from us on this connection

    public long Show(BridgeStatus status, long now)
    {
        IMqttClient? client;
        lock (_gate)
        {
            if (!ReferenceEquals(status, _status))
            {
                _pending |= status != _status;
                _status = status;
            }
            if (!_pending || _client is null) return long.MaxValue; // the next connect sends it
            if (now - _lastSent < IntervalTicks) return _lastSent + IntervalTicks;
            client = _client;
        }
        lock (_sending) SendState(client, now);
        return long.MaxValue;
    }

    public bool Rejected(string reason, string kind)
    {
        lock (_gate)
        {
            _rejected = reason; // the newest goes out with the next state; only a new kind makes one
            if (kind == _rejectedKind) return false;
            _rejectedKind = kind;
            if (_pending) return false; // the publisher thread knows already
            _pending = true;
            return _client is not null;
        }
    }

    /// <summary>The will: the broker publishes <c>offline</c> (retained) when the connection ends without a DISCONNECT.</summary>
    public void SetWill(MqttClientOptions options)
    {
        options.WillTopic = _statusTopic;
        options.WillPayload = OfflinePayload;
        options.WillRetain = true;
        options.WillQualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce;
    }

    /// <summary>MQTT edge, connected and subscribed: <c>online</c>, the discovery configs and the state, now.</summary>
    public void Connected(IMqttClient client)
    {
        lock (_sending)
        {
            lock (_gate) _client = client;
            _held = null;
            if (!Send(client, _statusTopic, OnlinePayload)) return;
            foreach (var (topic, payload) in discovery) Send(client, topic, payload);
            SendState(client, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>MQTT edge: the connection is gone (or going): nothing is sent until the next <see cref="Connected"/>.</summary>
    public void Disconnected()
    {
        lock (_gate) _client = null;
    }

    /// <summary>A clean stop: <c>offline</c> before the DISCONNECT, since MQTT 3.1.1 drops the will on a DISCONNECT.</summary>
    public void SayOffline(IMqttClient client)
    {
        Disconnected();
        lock (_sending) Send(client, _statusTopic, OfflinePayload);
    }

    /// <summary>Under _sending: the newest state, unless the broker holds it already.</summary>
    private void SendState(IMqttClient client, long now)
    {
        byte[] state;
        lock (_gate)
        {
            if (_status is null) return; // the hot loop has not said anything yet
            state = StatusJson.State(_status, _rejected);
            _pending = false;
            _lastSent = now;
        }
        if (_held is not null && state.AsSpan().SequenceEqual(_held)) return;
        if (Send(client, _stateTopic, state)) _held = state;
    }

    /// <summary>One retained QoS 0 message; false when it could not be sent (the connection is going: the next connect resends).</summary>
    private bool Send(IMqttClient client, string topic, byte[] payload)
    {
        try
        {
            // No timeout (a timer would wake a thread): a send blocks only on a full socket buffer, and a broker that stops
            // reading is given up by the keep-alive (ReaderAdapter), which ends the send.
            client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag()
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build()).GetAwaiter().GetResult();
            return true;
        }
        catch (Exception error)
        {
            if (log.Enabled(LogLevel.Debug)) log.Debug($"could not publish {topic}: {error.Message}");
            return false;
        }
    }
}
