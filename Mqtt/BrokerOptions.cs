using System.Security.Cryptography.X509Certificates;
using MeterBridge.Config;
using MQTTnet;
using MQTTnet.Formatter;

namespace MeterBridge.Mqtt;

/// <summary>Turns the settings into MQTTnet client options: address, credentials, protocol, keepalive and TLS.</summary>
internal static class BrokerOptions
{
    /// <summary>
    /// Room in a PUBLISH beside its payload: the topic (at most 65 535 bytes and its length), the packet id and MQTT 5
    /// properties. A PUBLISH longer than <c>max_payload_size</c> plus this is dropped unread (OversizedPublishFilter);
    /// one within it reaches the bridge, which rejects a too-large payload by its exact size.
    /// </summary>
    public const int PublishHeadroom = 64 * 1024 + 4096;

    /// <summary>The longest PUBLISH body (remaining length) MQTTnet is allowed to read.</summary>
    public static long MaxPublishLength(Settings settings) => (long)settings.MaxPayloadSize + PublishHeadroom;

    public static MqttClientOptions Build(Settings settings, string clientId, CertificateCheck certificates)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.BrokerAddress, settings.BrokerPort)
            .WithClientId(clientId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(settings.Keepalive))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithProtocolVersion(settings.MqttVersion == "5" ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311);
        // MQTT 5 lets us tell the broker: it then drops larger messages for us instead of sending them (+5: the fixed header).
        if (settings.MqttVersion == "5")
            builder.WithMaximumPacketSize((uint)(MaxPublishLength(settings) + 5));
        if (!string.IsNullOrEmpty(settings.Username))
            builder.WithCredentials(settings.Username, settings.Password ?? "");
        if (settings.TlsEnabled)
            builder.WithTlsOptions(Tls(settings, certificates));
        return builder.Build();
    }

    private static MqttClientTlsOptions Tls(Settings settings, CertificateCheck certificates)
    {
        var tls = new MqttClientTlsOptionsBuilder()
            .UseTls(true)
            .WithTargetHost(settings.BrokerAddress)
            .WithCertificateValidationHandler(certificates.Validate);
        if (settings.TlsClientCert is { Length: > 0 } cert)
            tls.WithClientCertificates([X509Certificate2.CreateFromPemFile(cert, settings.TlsClientKey is { Length: > 0 } key ? key : null)]);
        return tls.Build();
    }
}
