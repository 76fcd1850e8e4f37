using System.Net.Sockets;
using System.Security.Authentication;
using MeterBridge.Config;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;

namespace MeterBridge.Mqtt;

/// <summary>
/// Why a connection failed or ended, in words a user can act on. The binary is built with system resource keys
/// (UseSystemResourceKeys), so .NET's own texts are keys such as <c>Arg_TimeoutException</c> or
/// <c>net_ssl_io_cert_custom_validation</c>: every case we know gets our own text, the rest its message as is.
/// </summary>
internal static class BrokerProblem
{
    /// <param name="certificateRefusal">Why the broker's certificate was refused, when it was (CertificateCheck).</param>
    /// <param name="connecting">True before CONNACK: a TLS connection closed then most likely failed the handshake.</param>
    public static string Explain(Exception error, Settings settings, string? certificateRefusal, bool connecting)
    {
        // Ours, already in words, wherever MQTTnet wrapped them.
        if (Find<BrokerViolationException>(error) is { } violation)
            return "protocol violation: " + violation.Message;
        if (Find<BrokerEndedException>(error) is { } ended)
            return ended.Message;
        switch (error)
        {
            case BrokerRefusedException { Code: MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized } refused:
                return $"the broker refused the credentials ({ReasonWords.Of((int)refused.Code)})";
            case BrokerRefusedException refused:
                return $"the broker refused the connection ({ReasonWords.Of((int)refused.Code)})";
            // In case MQTTnet throws a refusal instead of returning it: then the code is only in the message.
            case MqttConnectingFailedException failed when failed.Message.Contains(nameof(MqttClientConnectResultCode.BadUserNameOrPassword)):
                return $"the broker refused the credentials ({ReasonWords.Of((int)MqttClientConnectResultCode.BadUserNameOrPassword)})";
            case MqttConnectingFailedException failed when failed.Message.Contains(nameof(MqttClientConnectResultCode.NotAuthorized)):
                return $"the broker refused the credentials ({ReasonWords.Of((int)MqttClientConnectResultCode.NotAuthorized)})";
            case BrokerSilentException silent:
                return silent.Message; // already ours, and the connection it ended was closed by us, not the broker
            case SubscriptionRefusedException refused:
                return $"the broker refused the subscription to {refused.Topic} ({ReasonWords.Of((int)refused.Code)}): may this client read it?";
        }
        if (Find<AuthenticationException>(error) is not null)
            return "TLS failed: " + (certificateRefusal ?? "the handshake with the broker failed (is this its TLS port?)");
        if (Find<SocketException>(error) is { } socket && Unreachable(socket.SocketErrorCode) is { } unreachable)
            return unreachable;
        if (connecting && settings.TlsEnabled && Closed(error))
            return "TLS failed: the broker closed the connection during the handshake ("
                + (settings.TlsClientCert is { Length: > 0 } ? "does it accept this client certificate?)" : "does it require a client certificate?)");
        if (!connecting && Find<SocketException>(error) is { SocketErrorCode: SocketError.ConnectionReset })
            return "the connection was reset (the broker or the network dropped it)";
        if (Closed(error))
            return connecting && !settings.TlsEnabled
                ? "the broker closed the connection before answering (is this a TLS port? then set tls_enabled = 1)"
                : ClosedByBroker;
        if (Find<MqttProtocolViolationException>(error) is not null)
            return "the other side does not speak MQTT (is this the broker's MQTT port?)";
        if (Find<TimeoutException>(error) is not null || Find<MqttCommunicationTimedOutException>(error) is not null)
            return "no answer (timed out)";
        return error is MqttConnectingFailedException { InnerException: { } inner } ? inner.Message : error.Message;
    }

    /// <summary>
    /// A connection that ended without an error: the broker closed it. (MQTTnet's reason code is no help here: it keeps the
    /// one of an earlier failed connect, "UnspecifiedError"; a DISCONNECT from the broker arrives as a <see cref="BrokerEndedException"/>.)
    /// </summary>
    public const string ClosedByBroker = "the broker closed the connection";

    private static string? Unreachable(SocketError code) => code switch
    {
        SocketError.ConnectionRefused => "connection refused (is the broker running and is this its port?)",
        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "unknown host name",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown => "the broker's host is unreachable",
        SocketError.TimedOut => "no answer (timed out)",
        _ => null,
    };

    /// <summary>The other side closed or reset the connection (MQTTnet reports that in several shapes).</summary>
    private static bool Closed(Exception error) =>
        Find<SocketException>(error) is { SocketErrorCode: SocketError.ConnectionReset or SocketError.NotConnected or SocketError.ConnectionAborted or SocketError.Shutdown }
        || Find<IOException>(error) is not null
        || Find<MqttCommunicationException>(error) is { InnerException: null };

    private static T? Find<T>(Exception error) where T : Exception
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }
}

/// <summary>A CONNACK with a result code other than Success.</summary>
internal sealed class BrokerRefusedException(MqttClientConnectResultCode code) : Exception($"the broker answered {ReasonWords.Of((int)code)}")
{
    public MqttClientConnectResultCode Code { get; } = code;
}

/// <summary>A SUBACK with a failure code: the broker will send nothing on that topic filter.</summary>
internal sealed class SubscriptionRefusedException(string topic, MqttClientSubscribeResultCode code) : Exception($"the broker refused {topic}: {ReasonWords.Of((int)code)}")
{
    public string Topic { get; } = topic;
    public MqttClientSubscribeResultCode Code { get; } = code;
}

/// <summary>
/// The broker broke the MQTT standard (a 200 MB SUBACK, a PUBLISH with QoS 3 or before CONNACK, …): the connection is
/// dropped and made again. The message says what the broker did, never what a packet carried.
/// </summary>
internal sealed class BrokerViolationException(string message) : MqttCommunicationException(message);

/// <summary>The broker ended the connection: closed it, or (MQTT 5) sent a DISCONNECT; the message says which, in words.</summary>
internal sealed class BrokerEndedException(string message) : MqttCommunicationException(message);

/// <summary>The keep-alive gave up on a broker that stopped answering (ReaderAdapter); the message says for how long.</summary>
internal sealed class BrokerSilentException(string message, Exception? inner) : MqttCommunicationException(message, inner!);
