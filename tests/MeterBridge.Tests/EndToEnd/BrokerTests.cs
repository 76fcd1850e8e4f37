using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>The broker side: it goes away and comes back, it wants a password, it speaks TLS.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class BrokerTests
{
    [Fact]
    public void Values_flow_again_after_the_broker_is_stopped_and_started()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();
        rig.Publish("""{"grid":{"power":10.0}}""");
        rig.WaitForValue("/Ac/Power", "(<10.0>,)", bridge: bridge);

        rig.Broker.Stop();
        Assert.True(bridge.WaitForLine("lost the broker", Rig.Deadline), "no line about the lost broker:\n" + bridge.Log);
        rig.Broker.Start();

        // Messages sent before the bridge resubscribed are gone (QoS 0): keep publishing until one arrives.
        PublishUntil(rig, """{"grid":{"power":20.0}}""", "/Ac/Power", "(<20.0>,)", TimeSpan.FromSeconds(15), bridge);
        Assert.True(bridge.IsRunning);
        Assert.Equal(2, bridge.Lines.Count(line => line.Contains("subscribed to")));
    }

    [Fact]
    public void A_username_and_password_from_a_password_file_work()
    {
        using var auth = new Credentials();
        using var rig = new Rig(new Mosquitto(auth.PasswordFile));
        var bridge = rig.StartBridge(extra: ["--username", "meter", "--password", "s3cret"]);
        rig.Broker.Publish(Rig.Topic, """{"grid":{"power":42.0}}""", "-u", "meter", "-P", "s3cret");
        rig.WaitForValue("/Ac/Power", "(<42.0>,)", bridge: bridge);
        Assert.DoesNotContain("s3cret", bridge.Log);
    }

    [Fact]
    public void A_wrong_password_is_logged_as_refused_credentials_and_the_process_stays()
    {
        using var auth = new Credentials();
        using var rig = new Rig(new Mosquitto(auth.PasswordFile));
        var bridge = rig.StartBridge(waitConnected: false, extra: ["--username", "meter", "--password", "wrong"]);
        Assert.True(bridge.WaitForLine("refused the credentials", Rig.Deadline), "no line about the credentials:\n" + bridge.Log);
        Thread.Sleep(1500); // a retry or two: still one line, still running
        Assert.True(bridge.IsRunning, bridge.Log);
        Assert.Equal(1, bridge.Lines.Count(line => line.Contains("refused the credentials")));
        Assert.DoesNotContain("wrong", bridge.Log.Replace("went wrong", ""));
    }

    [Fact]
    public void MQTT_5_values_flow()
    {
        using var rig = new Rig(new Mosquitto(config: ["log_type all"]));
        var bridge = rig.StartBridge(extra: ["--mqtt-version", "5"]);
        rig.Publish("""{"grid":{"power":5.5}}""");
        rig.WaitForValue("/Ac/Power", "(<5.5>,)", bridge: bridge);
        Assert.Contains(rig.Broker.Log, line => line.Contains("New client connected") && line.Contains("p5")); // p5: protocol MQTT 5
    }

    [Fact]
    public void MQTT_5_a_refused_CONNACK_is_logged_with_its_reason()
    {
        using var auth = new Credentials();
        using var rig = new Rig(new Mosquitto(auth.PasswordFile));
        var bridge = rig.StartBridge(waitConnected: false, extra: ["--mqtt-version", "5", "--username", "meter", "--password", "wrong"]);
        Assert.True(bridge.WaitForLine("refused the credentials", Rig.Deadline), "no line about the credentials:\n" + bridge.Log);
        Assert.Contains(bridge.Lines, line => line.Contains("refused the credentials (bad user name or password)") || line.Contains("refused the credentials (not authorized)"));
        Assert.True(bridge.IsRunning, bridge.Log);
    }

    [Fact]
    public void QoS_1_values_flow_and_the_broker_gets_a_PUBACK_for_each()
    {
        using var rig = new Rig(new Mosquitto(config: ["log_type all"]));
        var bridge = rig.StartBridge(extra: ["--qos", "1"]);
        for (int i = 1; i <= 3; i++)
        {
            rig.Broker.Publish(Rig.Topic, "{\"grid\":{\"power\":" + i + ".5}}", "-q", "1");
            rig.WaitForValue("/Ac/Power", $"(<{i}.5>,)", bridge: bridge);
        }
        // The broker logs every PUBACK; one without it would be sent again to a persistent session.
        bool acked = bridge.WaitForLine(_ => rig.Broker.Log.Count(line => line.Contains("Received PUBACK from MeterBridge_")) == 3, Rig.Deadline);
        Assert.True(acked, "the broker's log:\n" + string.Join('\n', rig.Broker.Log));
        Assert.Contains(rig.Broker.Log, line => line.Contains("Sending PUBLISH to MeterBridge_") && line.Contains("q1"));
    }

    [Fact]
    public void A_refused_subscription_is_a_connect_problem_not_subscribed()
    {
        using var broker = new RefusingBroker();
        using var rig = new Rig(); // its Mosquitto stays unused: the bridge is pointed at the refusing broker
        var bridge = rig.StartBridge(waitConnected: false, brokerPort: broker.Port);
        Assert.True(bridge.WaitForLine("refused the subscription to e2e/meter", Rig.Deadline), "no line about the subscription:\n" + bridge.Log);
        Assert.True(bridge.WaitForLine(_ => broker.Refused >= 2, Rig.Deadline), "not retried:\n" + bridge.Log);
        Assert.DoesNotContain(bridge.Lines, line => line.Contains("subscribed to"));
        Assert.Equal(1, bridge.Lines.Count(line => line.Contains("refused the subscription")));
        Assert.True(bridge.IsRunning, bridge.Log);
    }

    [Fact]
    public void TLS_to_a_certificate_for_another_name_is_refused_unless_tls_insecure()
    {
        using var pki = new TestPki();
        using var rig = new Rig(new Mosquitto(tls: pki.Server()));
        string[] tls = ["--tls-enabled", "1", "--tls-path-to-ca", pki.Ca];

        var strict = rig.StartBridge(waitConnected: false, extra: tls);
        Assert.True(strict.WaitForLine("TLS", Rig.Deadline), "no TLS line:\n" + strict.Log);
        Assert.DoesNotContain(strict.Lines, line => line.Contains("subscribed to"));
        Assert.True(strict.IsRunning);
        strict.Terminate();
        Assert.True(strict.WaitForExit(TimeSpan.FromSeconds(2)));

        var insecure = rig.StartBridge(extra: [.. tls, "--tls-insecure", "1"]);
        rig.Broker.Publish(Rig.Topic, """{"grid":{"power":55.5}}""", "--cafile", pki.Ca, "--insecure");
        rig.WaitForValue("/Ac/Power", "(<55.5>,)", bridge: insecure);
    }

    private static void PublishUntil(Rig rig, string payload, string path, string expected, TimeSpan timeout, BridgeProcess bridge)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try { rig.Publish(payload); } catch (InvalidOperationException) { /* broker not ready yet */ }
            var wait = Stopwatch.StartNew();
            while (wait.Elapsed < TimeSpan.FromMilliseconds(500))
            {
                if (Rig.Same(rig.GetValue(path), expected)) return;
                Thread.Sleep(25);
            }
        }
        Assert.Fail($"{path} never showed {expected} after the broker came back:\n" + bridge.Log);
    }

    /// <summary>A Mosquitto password file with user <c>meter</c>, password <c>s3cret</c>.</summary>
    private sealed class Credentials : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("mb-passwd-").FullName;

        public Credentials()
        {
            PasswordFile = Path.Combine(_folder, "passwd");
            var result = Tool.Run("mosquitto_passwd", "-b", "-c", PasswordFile, "meter", "s3cret");
            Assert.True(result.ExitCode == 0, "mosquitto_passwd failed: " + result);
        }

        public string PasswordFile { get; }

        public void Dispose() { try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } }
    }
}
