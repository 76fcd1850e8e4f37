using System.Net;
using System.Net.Sockets;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// A minimal MQTT 3.1.1 broker that accepts every CONNECT and refuses every SUBSCRIBE (SUBACK return code 0x80), as a
/// broker whose ACL denies the topic does. Mosquitto 2.0 grants such subscriptions and then sends nothing, so this
/// one case needs a scripted broker. Answers PINGREQ; ignores everything else.
/// </summary>
public sealed class RefusingBroker : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _refused;

    public RefusingBroker()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>SUBSCRIBE packets answered with a failure.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (Exception) { /* stopped */ }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            while (true)
            {
                byte[] type = new byte[1], lengthByte = new byte[1];
                await stream.ReadExactlyAsync(type, _stop.Token);
                int length = 0;
                for (int shift = 0; ; shift += 7)
                {
                    await stream.ReadExactlyAsync(lengthByte, _stop.Token);
                    length |= (lengthByte[0] & 0x7F) << shift;
                    if ((lengthByte[0] & 0x80) == 0) break;
                }
                byte[] body = new byte[length];
                await stream.ReadExactlyAsync(body, _stop.Token);
                switch (type[0] >> 4)
                {
                    case 1: await stream.WriteAsync(new byte[] { 0x20, 0x02, 0x00, 0x00 }, _stop.Token); break; // CONNACK accepted
                    case 8:
                        await stream.WriteAsync(new byte[] { 0x90, 0x03, body[0], body[1], 0x80 }, _stop.Token); // SUBACK failure
                        Interlocked.Increment(ref _refused);
                        break;
                    case 12: await stream.WriteAsync(new byte[] { 0xD0, 0x00 }, _stop.Token); break; // PINGRESP
                    case 14: return; // DISCONNECT
                }
            }
        }
        catch (Exception) { /* the client left, or we stop */ }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
