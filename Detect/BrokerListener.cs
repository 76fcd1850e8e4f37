using System.Buffers;
using MeterBridge.Config;
using MeterBridge.Mqtt;
using MQTTnet;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Protocol;

namespace MeterBridge.Detect;

/// <summary>
/// The edge of <c>detect</c>: connects with the same options as <c>run</c> (BrokerOptions, TLS, credentials, MQTT 5),
/// subscribes to one filter, writes every message into a <see cref="TopicLog"/> for a while, publishes nothing.
/// MQTTnet reads (no QoS 0 reader thread of ours), through the same filter that drops a PUBLISH larger than
/// <c>max_payload_size</c> unread, so one huge retained message cannot fill the heap.
/// </summary>
internal sealed class BrokerListener(Settings settings, string filter, TopicLog log) : IPayloadSink
{
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(10);
    private readonly CertificateCheck _certificates = new(settings);

    /// <summary>
    /// Listens for <paramref name="duration"/> (or until <paramref name="stop"/>), calling <paramref name="tick"/> about
    /// once a second. Returns null, or why it could not connect or lost the broker, in <c>run</c>'s words.
    /// </summary>
    public async Task<string?> ListenAsync(TimeSpan duration, Action tick, CancellationToken stop)
    {
        var options = BrokerOptions.Build(settings, $"MeterBridge_detect_{Environment.MachineName}_{Environment.ProcessId}", _certificates);
        options.KeepAlivePeriod = TimeSpan.Zero; // ReaderAdapterFactory keeps the connection alive
        // Not MqttClientFactory: see MqttSubscriber (its WebSocket channel would pull HttpClient into the binary).
        using var client = new MqttClient(new ReaderAdapterFactory(TimeSpan.FromSeconds(settings.Keepalive),
            this, qos0Socket: null, BrokerOptions.MaxPublishLength(settings)), MqttNetNullLogger.Instance);
        client.ApplicationMessageReceivedAsync += args =>
        {
            log.Add(args.ApplicationMessage.Topic, args.ApplicationMessage.Payload);
            return Task.CompletedTask;
        };
        var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += args =>
        {
            lost.TrySetResult(args.Exception is { } error ? Explain(error, connecting: false) : args.Reason.ToString());
            return Task.CompletedTask;
        };

        using (var answer = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            answer.CancelAfter(AnswerWait);
            try
            {
                var connected = await client.ConnectAsync(options, answer.Token);
                if (connected.ResultCode != MqttClientConnectResultCode.Success) throw new BrokerRefusedException(connected.ResultCode);
                var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(filter, MqttQualityOfServiceLevel.AtMostOnce).Build(), answer.Token);
                foreach (var item in subscribed.Items)
                    if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2) throw new SubscriptionRefusedException(item.TopicFilter.Topic, item.ResultCode);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception error)
            {
                string why = answer.IsCancellationRequested ? $"no answer within {AnswerWait.TotalSeconds:0} s" : Explain(error, connecting: true);
                return $"cannot connect to {settings.BrokerAddress}:{settings.BrokerPort}: {why}";
            }
        }

        string? problem = null;
        var end = Task.Delay(duration, stop);
        while (!end.IsCompleted)
        {
            var first = await Task.WhenAny(end, lost.Task, Task.Delay(TimeSpan.FromSeconds(1), stop));
            if (first == lost.Task)
            {
                problem = $"lost the broker {settings.BrokerAddress}:{settings.BrokerPort} ({lost.Task.Result})";
                break;
            }
            if (!end.IsCompleted) tick();
        }
        if (client.IsConnected)
        {
            using var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try { await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), leave.Token); }
            catch (Exception) { /* leaving anyway */ }
        }
        return problem;
    }

    private string Explain(Exception error, bool connecting) => BrokerProblem.Explain(error, settings, _certificates.LastRefusal, connecting);

    // IPayloadSink: with no QoS 0 socket the adapter hands payloads to MQTTnet, and tells us only of dropped ones.
    public void OnPayload(string topic, ReadOnlySequence<byte> payload) => log.Add(topic, payload);
    public void OnOversized(long size) => log.AddOversized();
    public long EndOfBatch(long readBy) => 0;
}
