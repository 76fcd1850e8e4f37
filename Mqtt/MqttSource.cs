using System.Buffers;
using System.Security.Authentication;
using MeterBridge.Bridge;
using MeterBridge.Config;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Protocol;

namespace MeterBridge.Mqtt;

/// <summary>
/// The MQTT edge: connects, subscribes, hands every payload to the bridge, and when the broker is down or
/// goes away retries after 1 s, 2 s, then every 3 s, logging a line per change of state, not per try.
/// A broker problem never ends the process.
/// </summary>
public sealed class MqttSource(Settings settings, string clientId, Log log, IPayloadSink sink)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    // The cap bounds how long values stay away after the broker returns: at most one wait plus a connect, well
    // within the 5 s a GX user should wait. One refused TCP connect every 3 s costs nothing measurable, so a
    // longer cap would only make the meter come back later.
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(3);

    // QoS 0: a blocking socket and a reader thread of ours (BridgeChannel.Reader.cs); QoS 1 needs MQTTnet's reading and acks.
    private readonly BlockingSocketConnector? _socket = settings.Qos == 0 ? new BlockingSocketConnector() : null;
    private IMqttClient? _client;
    private string? _lastProblem;

    public async Task RunAsync(CancellationToken cancel)
    {
        var options = BrokerOptions.Build(settings, clientId);
        options.KeepAlivePeriod = TimeSpan.Zero; // BridgeChannelFactory keeps the connection alive
        if (_socket is not null && options.ChannelOptions is MqttClientTcpOptions tcp) tcp.StreamProvider = _socket;
        _client = new MqttClientFactory().CreateMqttClient(
            new BridgeChannelFactory(TimeSpan.FromSeconds(settings.Keepalive), _socket is null ? null : (sink, _socket)));
        _client.ApplicationMessageReceivedAsync += args =>
        {
            sink.OnPayload(args.ApplicationMessage.Topic, args.ApplicationMessage.Payload);
            sink.EndOfBatch(canWait: false); // MQTTnet reads on: the publisher thread sends what must wait
            return Task.CompletedTask;
        };

        var retry = FirstRetry;
        while (!cancel.IsCancellationRequested)
        {
            var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            Task OnDisconnected(MqttClientDisconnectedEventArgs args)
            {
                lost.TrySetResult(args.Exception?.Message ?? args.Reason.ToString());
                return Task.CompletedTask;
            }
            try
            {
                _client.DisconnectedAsync += OnDisconnected;
                // MQTTnet 5 may return a refused CONNACK instead of throwing; then the subscribe would only say "not connected".
                var connected = await _client.ConnectAsync(options, cancel);
                if (connected.ResultCode != MqttClientConnectResultCode.Success) throw new BrokerRefusedException(connected.ResultCode);
                var subscribe = new MqttClientSubscribeOptionsBuilder();
                foreach (string filter in settings.Subscriptions)
                    subscribe.WithTopicFilter(filter, settings.Qos == 1 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce);
                await _client.SubscribeAsync(subscribe.Build(), cancel);
                log.Info($"connected to {settings.BrokerAddress}:{settings.BrokerPort}, subscribed to {string.Join(", ", settings.Subscriptions)}");
                _lastProblem = null;
                retry = FirstRetry;
                string reason = await lost.Task.WaitAsync(cancel);
                Problem($"lost the broker {settings.BrokerAddress}:{settings.BrokerPort} ({reason}); retrying");
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                Problem($"cannot connect to {settings.BrokerAddress}:{settings.BrokerPort}: {Explain(error)}; retrying");
            }
            finally
            {
                _client.DisconnectedAsync -= OnDisconnected;
            }

            try { await Task.Delay(retry, cancel); }
            catch (OperationCanceledException) { break; }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    /// <summary>Leaves the broker politely; bounded so a dead broker cannot delay shutdown.</summary>
    public async Task StopAsync()
    {
        if (_client is not { IsConnected: true }) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try { await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token); }
        catch (Exception) { /* shutting down anyway */ }
    }

    private void Problem(string message)
    {
        if (message == _lastProblem) return;
        _lastProblem = message;
        log.Warning(message);
    }

    private static string Explain(Exception error) => error switch
    {
        BrokerRefusedException { Code: MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized } refused =>
            $"the broker refused the credentials ({refused.Code})",
        BrokerRefusedException refused => $"the broker refused the connection ({refused.Code})",
        // MQTTnet 5 puts the CONNACK result code only into the message.
        MqttConnectingFailedException failed when failed.Message.Contains(nameof(MqttClientConnectResultCode.BadUserNameOrPassword))
            || failed.Message.Contains(nameof(MqttClientConnectResultCode.NotAuthorized)) =>
            $"the broker refused the credentials ({failed.Message})",
        MqttConnectingFailedException failed => $"the broker refused the connection ({failed.Message})",
        _ when error.GetBaseException() is AuthenticationException tls => $"TLS failed: {tls.Message}",
        _ => error.GetBaseException().Message,
    };
}

/// <summary>A CONNACK with a result code other than Success.</summary>
public sealed class BrokerRefusedException(MqttClientConnectResultCode code) : Exception($"the broker answered {code}")
{
    public MqttClientConnectResultCode Code { get; } = code;
}
