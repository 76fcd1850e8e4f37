using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MeterBridge.Config;
using MQTTnet;

namespace MeterBridge.Mqtt;

/// <summary>
/// Checks the broker's certificate: against the system's trust store, or against the configured CA alone;
/// <c>tls_insecure</c> forgives only a host name that does not match, never an untrusted chain. Remembers why the
/// last certificate was refused, because .NET's own error then only says "custom validation failed".
/// </summary>
internal sealed class CertificateCheck(Settings settings)
{
    /// <summary>Why the last certificate was refused, in words a user can act on; null when none was.</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Before a new try: a refusal from an earlier one must not explain this one.</summary>
    public void Forget() => LastRefusal = null;

    public bool Validate(MqttClientCertificateValidationEventArgs args)
    {
        var errors = args.SslPolicyErrors;
        if (settings.TlsInsecure) errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && settings.TlsPathToCa is { Length: > 0 } caFile
            && args.Certificate is { } certificate && ChainsToCa(new X509Certificate2(certificate), args.Chain, caFile))
            errors &= ~SslPolicyErrors.RemoteCertificateChainErrors;
        LastRefusal = Describe(errors);
        return errors == SslPolicyErrors.None;
    }

    /// <summary>
    /// Builds the chain against the configured CA. The intermediates the broker sent (the handshake's chain has them in
    /// its extra store) are used to get there, as mosquitto_sub --cafile does, but are never trusted themselves.
    /// </summary>
    private static bool ChainsToCa(X509Certificate2 certificate, X509Chain? sent, string caFile)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.ImportFromPemFile(caFile);
        if (sent is not null) chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
        return chain.Build(certificate);
    }

    private string? Describe(SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return null;
        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return "the broker sent no certificate";
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return settings.TlsPathToCa is { Length: > 0 } caFile
                ? $"the broker's certificate is not signed by the CA in tls_path_to_ca ({caFile}), nor by one the broker sent along"
                : "the broker's certificate is not signed by a CA this system trusts (set tls_path_to_ca to the broker's CA file)";
        return $"the broker's certificate is not made out to {settings.BrokerAddress} (tls_insecure = 1 accepts it anyway)";
    }
}
