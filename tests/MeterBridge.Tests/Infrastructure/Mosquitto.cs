using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// A real Mosquitto broker on 127.0.0.1 and a free port (or a given one), with an optional password file, TLS listener
/// and further config lines, stopped on Dispose. <see cref="Stop"/> and <see cref="Start"/> let a test take the broker
/// away and back; <see cref="Log"/> holds what it logged (every packet with <c>log_type all</c>).
/// </summary>
public sealed class Mosquitto : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mb-mosquitto-").FullName;
    private readonly string _config;
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    public int Port { get; }

    public IReadOnlyList<string> Log => [.. _log];

    public Mosquitto(string? passwordFile = null, (string Cert, string Key)? tls = null, IEnumerable<string>? config = null, int? port = null)
    {
        Port = port ?? FreePort();
        var lines = new List<string>
        {
            "user root",
            $"pid_file {_dir}/mosquitto.pid",
            "persistence false",
            "log_dest stderr",
            $"listener {Port} 127.0.0.1",
            passwordFile == null ? "allow_anonymous true" : $"allow_anonymous false\npassword_file {passwordFile}",
        };
        if (tls is { } t) lines.Add($"certfile {t.Cert}\nkeyfile {t.Key}");
        if (config is not null) lines.AddRange(config);
        _config = Path.Combine(_dir, "mosquitto.conf");
        File.WriteAllLines(_config, lines);
        Start();
    }

    public void Start()
    {
        _process = Process.Start(new ProcessStartInfo("mosquitto", ["-c", _config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        WaitUntilListening();
    }

    public void Stop()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill();
        process.WaitForExit(5000);
    }

    /// <summary>SIGTERM, as an init system stops it: Mosquitto says goodbye to its clients (MQTT 5: a DISCONNECT) and exits.</summary>
    public void Terminate()
    {
        Signal("-TERM");
        _process!.WaitForExit(5000);
    }

    /// <summary>SIGSTOP: the connection stays open, nothing answers (a hung broker or a cut cable). <see cref="Thaw"/> undoes it.</summary>
    public void Freeze() => Signal("-STOP");

    public void Thaw() => Signal("-CONT");

    private void Signal(string signal)
    {
        if (_process is not { HasExited: false } process) throw new InvalidOperationException("mosquitto is not running");
        var kill = Tool.Run("kill", signal, process.Id.ToString());
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill {signal} failed: {kill}");
    }

    /// <summary>Publishes with mosquitto_pub: a client nobody here wrote.</summary>
    public void Publish(string topic, string payload, params string[] extra) => MosquittoPub(["-t", topic, "-m", payload, .. extra]);

    /// <summary>mosquitto_pub with these arguments after host and port (e.g. <c>-f FILE -r</c>).</summary>
    public void MosquittoPub(params string[] args)
    {
        using var pub = Process.Start(new ProcessStartInfo("mosquitto_pub", ["-h", "127.0.0.1", "-p", Port.ToString(), .. args])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        })!;
        if (!pub.WaitForExit(30000)) throw new TimeoutException("mosquitto_pub hung");
        if (pub.ExitCode != 0) throw new InvalidOperationException("mosquitto_pub failed: " + pub.StandardError.ReadToEnd());
    }

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) { Thread.Sleep(50); }
        }
        throw new TimeoutException("mosquitto did not listen on port " + Port);
    }
}
