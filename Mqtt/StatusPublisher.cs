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
/// Publishing runs on a loop of its own (<see cref="RunAsync"/>), woken only when something changed: a new status
/// from the publisher thread, a new kind of rejection from the reader, a connect. It publishes the state at most once a
/// second (<see cref="StateInterval"/>); what changes meanwhile is merged into the next one, so a flood of rejections
/// costs one publish a second and no wake-up per message.
/// </para>
/// </summary>
/// <param name="root">status_topic, not empty.</param>
/// <param name="discovery">The HA discovery messages, or none.</param>
internal sealed class StatusPublisher(string root, IReadOnlyList<(string Topic, byte[] Payload)> discovery, Log log) : IStatusSink
{
    public static readonly TimeSpan StateInterval = TimeSpan.FromSeconds(1);

    private readonly string _statusTopic = StatusJson.StatusTopic(root);
    private readonly string _stateTopic = StatusJson.StateTopic(root);
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly Lock _gate = new();

    // Under the gate.
    private bool _signalled; // _changed was released and the loop has not yet taken what changed
    private bool _connected;
    private bool _connectedAnew;
    private BridgeStatus? _status;
    private string? _rejected;
    private string? _rejectedKind;

    public void Show(BridgeStatus status)
    {
        lock (_gate)
        {
            if (status == _status) return;
            _status = status;
            SignalLocked();
        }
    }

    public void Rejected(string reason, string kind)
    {
        lock (_gate)
        {
            _rejected = reason; // the newest goes out with the next state; only a new kind makes one
            if (kind == _rejectedKind) return;
            _rejectedKind = kind;
            SignalLocked();
        }
    }

    /// <summary>The will: the broker publishes <c>offline</c> (retained) when the connection ends without a DISCONNECT.</summary>
    public void SetWill(MqttClientOptions options)
    {
        options.WillTopic = _statusTopic;
        options.WillPayload = System.Text.Encoding.ASCII.GetBytes(StatusJson.Offline);
        options.WillRetain = true;
        options.WillQualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce;
    }

    /// <summary>MQTT edge: connected and subscribed; <c>online</c>, discovery and state follow.</summary>
    public void Connected()
    {
        lock (_gate)
        {
            _connected = _connectedAnew = true;
            SignalLocked();
        }
    }

    /// <summary>MQTT edge: the connection is gone (or going): nothing is published until the next <see cref="Connected"/>.</summary>
    public void Disconnected()
    {
        lock (_gate) _connected = false;
    }

    /// <summary>
    /// A clean stop: <c>offline</c> before the DISCONNECT, since MQTT 3.1.1 drops the will on a DISCONNECT.
    /// Call after <see cref="RunAsync"/> was cancelled.
    /// </summary>
    public async Task PublishOfflineAsync(IMqttClient client, CancellationToken cancel)
    {
        Disconnected();
        await PublishAsync(client, _statusTopic, System.Text.Encoding.ASCII.GetBytes(StatusJson.Offline), cancel);
    }

    /// <summary>Publishes what changed, until <paramref name="stop"/>.</summary>
    public async Task RunAsync(IMqttClient client, CancellationToken stop)
    {
        byte[]? held = null; // the state the broker holds from us since this connection began
        try
        {
            while (true)
            {
                await _changed.WaitAsync(stop);
                bool connected, anew;
                BridgeStatus? status;
                string? rejected;
                lock (_gate)
                {
                    _signalled = false;
                    (connected, anew, status, rejected) = (_connected, _connectedAnew, _status, _rejected);
                    _connectedAnew = false;
                }
                if (!connected) continue;
                if (anew)
                {
                    held = null;
                    await PublishAsync(client, _statusTopic, System.Text.Encoding.ASCII.GetBytes(StatusJson.Online), stop);
                    foreach (var (topic, payload) in discovery) await PublishAsync(client, topic, payload, stop);
                }
                if (status is null) continue; // the hot loop has not said anything yet
                byte[] state = StatusJson.State(status, rejected);
                if (held is not null && state.AsSpan().SequenceEqual(held)) continue;
                if (!await PublishAsync(client, _stateTopic, state, stop)) continue;
                held = state;
                await Task.Delay(StateInterval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // stopping: PublishOfflineAsync follows
        }
    }

    private void SignalLocked()
    {
        if (_signalled) return;
        _signalled = true;
        _changed.Release();
    }

    /// <summary>One retained QoS 0 message; false when it could not be sent (the connection is going: the next connect republishes).</summary>
    private async Task<bool> PublishAsync(IMqttClient client, string topic, byte[] payload, CancellationToken cancel)
    {
        try
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag()
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build(), cancel);
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            if (log.Enabled(LogLevel.Debug)) log.Debug($"could not publish {topic}: {error.Message}");
            return false;
        }
    }
}
