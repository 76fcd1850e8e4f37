using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>TLS as brokers really set it up: an intermediate CA between the root and the broker, client certificates.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TlsTests
{
    [Fact]
    public void Only_the_root_in_tls_path_to_ca_trusts_a_broker_that_sends_its_intermediate_and_a_foreign_root_is_refused()
    {
        using var pki = new TestPki();
        var intermediate = pki.Intermediate();
        var leaf = pki.ServerFor127(intermediate);
        using var rig = new Rig(new Mosquitto(tls: (pki.Bundle("chain.pem", leaf.Cert, intermediate.Cert), leaf.Key)));
        // What the brief compares with: mosquitto's own client trusts this chain with the root alone.
        rig.Broker.Publish("check/chain", "1", "--cafile", pki.Ca);

        var trusted = rig.StartBridge(extra: ["--tls-enabled", "1", "--tls-path-to-ca", pki.Ca]);
        rig.Broker.Publish(Rig.Topic, """{"grid":{"power":12.5}}""", "--cafile", pki.Ca);
        rig.WaitForValue("/Ac/Power", "(<12.5>,)", bridge: trusted);
        trusted.Terminate();
        Assert.True(trusted.WaitForExit(TimeSpan.FromSeconds(2)));

        using var foreign = new TestPki("Someone Else's CA");
        var refused = rig.StartBridge(waitConnected: false, extra: ["--tls-enabled", "1", "--tls-path-to-ca", foreign.Ca]);
        Assert.True(refused.WaitForLine("TLS failed", Rig.Deadline), "no TLS line:\n" + refused.Log);
        Assert.Contains(refused.Lines, line => line.Contains($"not signed by the CA in tls_path_to_ca ({foreign.Ca})"));
        Assert.DoesNotContain(refused.Lines, line => line.Contains("subscribed to") || line.Contains("net_ssl"));
    }

    [Fact]
    public void A_broker_that_requires_a_client_certificate_accepts_tls_client_cert_and_refuses_a_bridge_without_one()
    {
        using var pki = new TestPki();
        using var rig = new Rig(new Mosquitto(tls: pki.ServerFor127(), config: [$"cafile {pki.Ca}", "require_certificate true"]));
        var client = pki.Client();

        var without = rig.StartBridge(waitConnected: false, extra: ["--tls-enabled", "1", "--tls-path-to-ca", pki.Ca]);
        Assert.True(without.WaitForLine("TLS failed", Rig.Deadline), "no TLS line:\n" + without.Log);
        Assert.Contains(without.Lines, line => line.Contains(
            "TLS failed: the broker closed the connection during the handshake (does it require a client certificate?)"));
        Assert.DoesNotContain(without.Lines, line => line.Contains("subscribed to") || line.Contains("refused the connection"));
        without.Terminate();
        Assert.True(without.WaitForExit(TimeSpan.FromSeconds(2)));

        var with = rig.StartBridge(extra: ["--tls-enabled", "1", "--tls-path-to-ca", pki.Ca, "--tls-client-cert", client.Cert, "--tls-client-key", client.Key]);
        rig.Broker.Publish(Rig.Topic, """{"grid":{"power":64.0}}""", "--cafile", pki.Ca, "--cert", client.Cert, "--key", client.Key);
        rig.WaitForValue("/Ac/Power", "(<64.0>,)", bridge: with);
        Assert.DoesNotContain(with.Lines, line => line.StartsWith("WARNING"));
    }
}
