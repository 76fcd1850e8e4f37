using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MeterBridge.Bench.EndToEnd;

/// <summary>A private Mosquitto on 127.0.0.1 and a free port.</summary>
public sealed class PrivateBroker : IDisposable
{
    private readonly Process _process;

    public int Port { get; }

    public PrivateBroker(string folder)
    {
        Port = FreePort();
        string config = Path.Combine(folder, "mosquitto.conf");
        File.WriteAllText(config, $"user root\nlistener {Port} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        _process = Processes.Start("mosquitto", "-c", config);
        Processes.WaitUntil(Accepts, "mosquitto did not open its port");
    }

    private bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose() => Processes.Stop(_process);
}
