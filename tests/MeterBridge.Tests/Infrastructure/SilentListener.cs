using System.Net;
using System.Net.Sockets;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// A TCP port that accepts connections and never says a word: a hung broker, or one whose answers a NAT drops.
/// Dispose closes the port and every connection, so a real broker can take the port.
/// </summary>
public sealed class SilentListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private int _connections;

    public SilentListener()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync();
                lock (_accepted) _accepted.Add(socket);
                Interlocked.Increment(ref _connections);
            }
        }
        catch (Exception) { /* stopped */ }
    }

    public void Dispose()
    {
        _listener.Stop();
        lock (_accepted)
            foreach (var socket in _accepted) socket.Dispose();
    }
}
