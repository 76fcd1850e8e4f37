using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MeterBridge.Config;
using MQTTnet;
using MQTTnet.Formatter;

namespace MeterBridge.Mqtt;

/// <summary>Turns the settings into MQTTnet client options: address, credentials, protocol, keepalive and TLS.</summary>
public static class BrokerOptions
{
    public static MqttClientOptions Build(Settings settings, string clientId)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.BrokerAddress, settings.BrokerPort)
            .WithClientId(clientId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(settings.Keepalive))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithProtocolVersion(settings.MqttVersion == "5" ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311);
        if (!string.IsNullOrEmpty(settings.Username))
            builder.WithCredentials(settings.Username, settings.Password ?? "");
        if (settings.TlsEnabled)
            builder.WithTlsOptions(Tls(settings));
        return builder.Build();
    }

    private static MqttClientTlsOptions Tls(Settings settings)
    {
        var tls = new MqttClientTlsOptionsBuilder()
            .UseTls(true)
            .WithTargetHost(settings.BrokerAddress)
            .WithCertificateValidationHandler(args => Validate(args, settings));
        if (settings.TlsClientCert is { Length: > 0 } cert)
            tls.WithClientCertificates([X509Certificate2.CreateFromPemFile(cert, settings.TlsClientKey is { Length: > 0 } key ? key : null)]);
        return tls.Build();
    }

    /// <summary>
    /// The system's trust store, or the configured CA alone; <c>tls_insecure</c> forgives only a host name
    /// that does not match, never an untrusted chain, and TLS never falls back to plain text.
    /// </summary>
    private static bool Validate(MqttClientCertificateValidationEventArgs args, Settings settings)
    {
        var errors = args.SslPolicyErrors;
        if (settings.TlsInsecure) errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && settings.TlsPathToCa is { Length: > 0 } caFile)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.ImportFromPemFile(caFile);
            if (args.Certificate is { } certificate && chain.Build(new X509Certificate2(certificate)))
                errors &= ~SslPolicyErrors.RemoteCertificateChainErrors;
        }
        return errors == SslPolicyErrors.None;
    }
}
