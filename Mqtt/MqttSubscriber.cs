using System.Diagnostics;
using MQTTnet.Protocol;
using MQTTnet;
using MQTTnet.Diagnostics.Logger;
using MeterBridge.Config;
using MeterBridge.Logging;

namespace MeterBridge.Mqtt;

/// <summary>
/// The MQTT edge: connects, subscribes, hands every payload to the bridge, and when the broker is down or
/// goes away retries after 1 s, 2 s, then every 3 s, logging a line per change of state, not per try.
/// A broker problem never ends the process. With a <see cref="StatusPublisher"/> it also says on that broker whether
/// the bridge is alive (online after each connect, offline as the will and before a clean DISCONNECT).
/// </summary>
internal sealed class MqttSubscriber(Settings settings, string clientId, Log log, IPayloadSink sink, StatusPublisher? status = null)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    // The cap bounds how long values stay away after the broker returns: at most one wait plus a connect, well
    // within the 5 s a GX user should wait. One refused TCP connect every 3 s costs nothing measurable, so a
    // longer cap would only make the meter come back later.
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(3);
    // A connection that ends sooner than this after subscribing counts as a failed try, not as a recovery: the backoff
    // goes on growing (a broker that drops us at once, or a message that kills each connection, is not hammered).
    private static readonly TimeSpan Recovered = TimeSpan.FromSeconds(10);
    // MQTTnet also needs one for its own sends and disconnects; ours bounds the wait for CONNACK and SUBACK.
    private static readonly TimeSpan MaxAnswerWait = TimeSpan.FromSeconds(10);

    // QoS 0: a blocking socket and a reader thread of ours (ReaderAdapter.Reader.cs); QoS 1 needs MQTTnet's reading and acks.
    private readonly BlockingSocketConnector? _socket = settings.Qos == 0 ? new BlockingSocketConnector() : null;
    private readonly CertificateCheck _certificates = new(settings);
    // A broker silent for 1.5 keep-alives is given up once connected; before CONNACK and SUBACK the same rule, capped.
    private readonly TimeSpan _answerWait = settings.Keepalive > 0 && settings.Keepalive * 1.5 < MaxAnswerWait.TotalSeconds
        ? TimeSpan.FromSeconds(settings.Keepalive * 1.5) : MaxAnswerWait;
    private IMqttClient? _client;
    private string? _lastProblem;

    public async Task RunAsync(CancellationToken cancel)
    {
        var options = BrokerOptions.Build(settings, clientId, _certificates);
        options.KeepAlivePeriod = TimeSpan.Zero; // ReaderAdapterFactory keeps the connection alive
        if (_socket is not null && options.ChannelOptions is MqttClientTcpOptions tcp) tcp.StreamProvider = _socket;
        status?.SetWill(options);
        // Not MqttClientFactory: it builds MQTTnet's own adapter factory, whose WebSocket channel drags ClientWebSocket and
        // HttpClient into the binary (about 400 KB) though we never use it.
        var client = _client = new MqttClient(new ReaderAdapterFactory(TimeSpan.FromSeconds(settings.Keepalive),
            sink, _socket, BrokerOptions.MaxPublishLength(settings)), MqttNetNullLogger.Instance);
        client.ApplicationMessageReceivedAsync += args =>
        {
            sink.OnPayload(args.ApplicationMessage.Topic, args.ApplicationMessage.Payload);
            sink.EndOfBatch(readBy: 0); // MQTTnet reads on: the publisher thread sends what must wait
            return Task.CompletedTask;
        };

        var retry = FirstRetry;
        while (!cancel.IsCancellationRequested)
        {
            var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            Task OnDisconnected(MqttClientDisconnectedEventArgs args)
            {
                lost.TrySetResult(args.Exception is { } error ? Explain(error, connecting: false) : BrokerProblem.ClosedByBroker);
                return Task.CompletedTask;
            }
            var answer = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            try
            {
                client.DisconnectedAsync += OnDisconnected;
                _certificates.Forget();
                answer.CancelAfter(_answerWait);
                await ConnectAndSubscribeAsync(client, options, answer.Token);
                answer.Dispose();
                log.Info($"connected to {settings.BrokerAddress}:{settings.BrokerPort}, subscribed to {string.Join(", ", settings.Subscriptions)}");
                _lastProblem = null;
                status?.Connected(client);
                long since = Stopwatch.GetTimestamp();
                string reason = await lost.Task.WaitAsync(cancel);
                status?.Disconnected();
                if (Stopwatch.GetElapsedTime(since) >= Recovered) retry = FirstRetry;
                Problem($"lost the broker {settings.BrokerAddress}:{settings.BrokerPort} ({reason}); retrying");
            }
            catch (Exception) when (cancel.IsCancellationRequested)
            {
                break; // SIGTERM: whatever MQTTnet made of the cancelled connect is no broker problem
            }
            catch (Exception error)
            {
                string why = answer.IsCancellationRequested ? $"no answer within {_answerWait.TotalSeconds:0.#} s" : Explain(error, connecting: true);
                if (log.Enabled(LogLevel.Debug)) log.Debug($"connect failed: {Describe(error)}");
                Problem($"cannot connect to {settings.BrokerAddress}:{settings.BrokerPort}: {why}; retrying");
                await LeaveAsync(); // a half-made connection (no SUBACK) must not linger beside the next one
            }
            finally
            {
                answer.Dispose();
                client.DisconnectedAsync -= OnDisconnected;
            }

            try { await Task.Delay(retry, cancel); }
            catch (OperationCanceledException) { break; }
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    /// <summary>CONNECT and SUBSCRIBE, each answer awaited until <paramref name="answer"/> ends; a refusal of either throws.</summary>
    private async Task ConnectAndSubscribeAsync(IMqttClient client, MqttClientOptions options, CancellationToken answer)
    {
        // MQTTnet 5 may return a refused CONNACK instead of throwing; then the subscribe would only say "not connected".
        var connected = await client.ConnectAsync(options, answer);
        if (connected.ResultCode != MqttClientConnectResultCode.Success) throw new BrokerRefusedException(connected.ResultCode);
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (string filter in settings.Subscriptions)
            subscribe.WithTopicFilter(filter, settings.Qos == 1 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce);
        var subscribed = await client.SubscribeAsync(subscribe.Build(), answer);
        foreach (var item in subscribed.Items)
            if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2) throw new SubscriptionRefusedException(item.TopicFilter.Topic, item.ResultCode);
    }

    /// <summary>Leaves the broker politely (offline first, with a status topic); bounded so a dead broker cannot delay shutdown.</summary>
    public Task StopAsync() => LeaveAsync(sayOffline: true);

    private async Task LeaveAsync(bool sayOffline = false)
    {
        if (_client is not { IsConnected: true }) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try
        {
            if (sayOffline) status?.SayOffline(_client);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
        }
        catch (Exception) { /* leaving anyway */ }
    }

    private void Problem(string message)
    {
        if (message == _lastProblem) return;
        _lastProblem = message;
        log.Warning(message);
    }

    private string Explain(Exception error, bool connecting) => BrokerProblem.Explain(error, settings, _certificates.LastRefusal, connecting);

    /// <summary>Every exception in the chain, type and message: for DEBUG lines.</summary>
    private static string Describe(Exception error)
    {
        var text = new System.Text.StringBuilder();
        for (Exception? e = error; e is not null; e = e.InnerException)
            text.Append(text.Length > 0 ? " <- " : "").Append(e.GetType().Name).Append(": ").Append(e.Message);
        return text.ToString();
    }
}
