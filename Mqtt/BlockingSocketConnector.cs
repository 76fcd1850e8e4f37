using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace MeterBridge.Mqtt;

/// <summary>
/// Opens the broker connection as a <see cref="BlockingSocketStream"/> for MQTTnet (its stream provider), with blocking
/// calls only, so that the socket never joins .NET's epoll set. Remembers the newest stream: the MQTT reader asks it
/// whether more bytes are waiting.
/// </summary>
internal sealed class BlockingSocketConnector : IMqttClientStreamProvider
{
    /// <summary>
    /// The socket's receive buffer, set before connecting (the window scale is agreed then). The default 128 KiB leaves
    /// a window of one loopback segment (64 KiB) while the reader sits out: the kernel then acknowledges only on its
    /// 40 ms delayed-ACK timer, and a burst from a broker on the same machine (a GX's own) crawls in at 1.6 MB/s. Kernel
    /// memory, used only while bytes wait; the kernel caps it at net.core.rmem_max.
    /// </summary>
    public const int ReceiveBuffer = 1024 * 1024;

    private volatile BlockingSocketStream? _current;

    /// <summary>Whether the current connection has bytes that a read would return at once.</summary>
    public bool HasUnreadData => _current?.HasUnreadData ?? false;

    public Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken) =>
        Task.Run(() => Connect(brokerEndPoint, cancellationToken), cancellationToken);

    private Stream Connect(EndPoint broker, CancellationToken cancel)
    {
        (IPAddress[] addresses, int port) = broker switch
        {
            IPEndPoint ip => ([ip.Address], ip.Port),
            DnsEndPoint dns => (IPAddress.TryParse(dns.Host, out var address) ? [address] : Dns.GetHostAddresses(dns.Host), dns.Port),
            _ => throw new NotSupportedException($"cannot connect to {broker}"),
        };
        SocketException? last = null;
        foreach (IPAddress address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = ReceiveBuffer };
            try
            {
                ConnectSocket(socket, new IPEndPoint(address, port), cancel);
                var stream = new BlockingSocketStream(socket, broker);
                _current = stream;
                return stream;
            }
            catch (SocketException error)
            {
                socket.Dispose();
                cancel.ThrowIfCancellationRequested(); // the shutdown that cancelling does ends the connect with an error
                last = error;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>
    /// A plain blocking connect: a non-blocking one would hand the socket to .NET's epoll engine for good. Cancelling
    /// shuts the socket down, which ends a connect in progress.
    /// </summary>
    private static void ConnectSocket(Socket socket, IPEndPoint endPoint, CancellationToken cancel)
    {
        using var abort = cancel.Register(() =>
        {
            try { socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        });
        socket.Connect(endPoint);
        cancel.ThrowIfCancellationRequested();
    }
}
