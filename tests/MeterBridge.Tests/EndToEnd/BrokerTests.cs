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
    public void TLS_to_a_certificate_for_another_name_is_refused_unless_tls_insecure()
    {
        using var pki = new TestPki();
        using var rig = new Rig(new Mosquitto(tls: (pki.ServerCert, pki.ServerKey)));
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

    /// <summary>A CA and a server certificate for <c>meterbridge-test</c> (not 127.0.0.1), made with openssl.</summary>
    private sealed class TestPki : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("mb-pki-").FullName;

        public TestPki()
        {
            Ca = Path.Combine(_folder, "ca.pem");
            ServerCert = Path.Combine(_folder, "server.pem");
            ServerKey = Path.Combine(_folder, "server.key");
            string caKey = Path.Combine(_folder, "ca.key"), csr = Path.Combine(_folder, "server.csr"), ext = Path.Combine(_folder, "ext.cnf");
            File.WriteAllText(ext, "subjectAltName=DNS:meterbridge-test\nbasicConstraints=CA:FALSE\n");
            OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", Ca, "-days", "2", "-subj", "/CN=MeterBridge Test CA");
            OpenSsl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", ServerKey, "-out", csr, "-subj", "/CN=meterbridge-test");
            OpenSsl("x509", "-req", "-in", csr, "-CA", Ca, "-CAkey", caKey, "-CAcreateserial", "-out", ServerCert, "-days", "2", "-extfile", ext);
        }

        public string Ca { get; }
        public string ServerCert { get; }
        public string ServerKey { get; }

        private static void OpenSsl(params string[] args)
        {
            var result = Tool.Run("openssl", args);
            Assert.True(result.ExitCode == 0, "openssl failed: " + result);
        }

        public void Dispose() { try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } }
    }
}
