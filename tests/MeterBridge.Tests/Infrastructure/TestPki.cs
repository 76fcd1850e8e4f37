using Xunit;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// A root CA made with openssl at test time, and certificates it (or an intermediate) issues: broker certificates for
/// a host name or 127.0.0.1, intermediates, client certificates. Deleted on Dispose.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mb-pki-").FullName;

    public TestPki(string name = "MeterBridge Test CA")
    {
        Ca = Path.Combine(_folder, "ca.pem");
        CaKey = Path.Combine(_folder, "ca.key");
        OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", CaKey, "-out", Ca, "-days", "2", "-subj", "/CN=" + name);
    }

    public string Ca { get; }
    public string CaKey { get; }

    /// <summary>The classic test broker: a certificate for <c>meterbridge-test</c> (not 127.0.0.1) signed by the root.</summary>
    public (string Cert, string Key) Server() => Issue("server", "subjectAltName=DNS:meterbridge-test\nbasicConstraints=CA:FALSE");

    /// <summary>An intermediate CA under <paramref name="issuer"/> (default the root).</summary>
    public (string Cert, string Key) Intermediate((string Cert, string Key)? issuer = null) =>
        Issue("intermediate", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign", issuer);

    /// <summary>A broker certificate for 127.0.0.1 under <paramref name="issuer"/> (default the root).</summary>
    public (string Cert, string Key) ServerFor127((string Cert, string Key)? issuer = null) =>
        Issue("server127", "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth", issuer);

    /// <summary>A client certificate signed by the root.</summary>
    public (string Cert, string Key) Client() => Issue("client", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth");

    /// <summary>Certificates one after another in one file, as a broker's certfile carries its chain.</summary>
    public string Bundle(string name, params string[] certificates)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, string.Concat(certificates.Select(File.ReadAllText)));
        return path;
    }

    private (string Cert, string Key) Issue(string name, string extensions, (string Cert, string Key)? issuer = null)
    {
        string cert = Path.Combine(_folder, name + ".pem"), key = Path.Combine(_folder, name + ".key");
        string csr = Path.Combine(_folder, name + ".csr"), ext = Path.Combine(_folder, name + ".cnf");
        var (issuerCert, issuerKey) = issuer ?? (Ca, CaKey);
        File.WriteAllText(ext, extensions + "\n");
        OpenSsl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", $"/CN=meterbridge-{name}");
        OpenSsl("x509", "-req", "-in", csr, "-CA", issuerCert, "-CAkey", issuerKey, "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext);
        return (cert, key);
    }

    private static void OpenSsl(params string[] args)
    {
        var result = Tool.Run("openssl", args);
        Assert.True(result.ExitCode == 0, "openssl failed: " + result);
    }

    public void Dispose() { try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } }
}
