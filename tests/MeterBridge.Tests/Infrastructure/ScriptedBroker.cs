using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// A broker that does what a test scripts, byte for byte, to show what the bridge makes of a broker that breaks the MQTT
/// standard (a 200 MB SUBACK, a PUBLISH with QoS 3, …) or ends a connection in a given way. Each connection runs the
/// script on a thread of its own, told the connection's number (1, 2, …); the connection closes when the script returns.
/// </summary>
public sealed class ScriptedBroker : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Action<int, Session> _script;
    private int _connections;

    public ScriptedBroker(Action<int, Session> script)
    {
        _script = script;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        new Thread(Accept) { IsBackground = true, Name = "scripted broker" }.Start();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private void Accept()
    {
        try
        {
            while (true)
            {
                var socket = _listener.AcceptSocket();
                int number = Interlocked.Increment(ref _connections);
                new Thread(() =>
                {
                    using var session = new Session(socket);
                    try { _script(number, session); }
                    catch (Exception) { /* the bridge left */ }
                }) { IsBackground = true }.Start();
            }
        }
        catch (Exception) { /* stopped */ }
    }

    public void Dispose() => _listener.Stop();

    /// <summary>One connection, from the broker's side.</summary>
    public sealed class Session(Socket socket) : IDisposable
    {
        private readonly NetworkStream _stream = new(socket, ownsSocket: false);

        /// <summary>The next packet from the bridge: its first byte's type, and its body.</summary>
        public (int Type, byte[] Body) Read()
        {
            int first = _stream.ReadByte();
            if (first < 0) throw new EndOfStreamException();
            int length = 0;
            for (int shift = 0; ; shift += 7)
            {
                int b = _stream.ReadByte();
                if (b < 0) throw new EndOfStreamException();
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) break;
            }
            byte[] body = new byte[length];
            _stream.ReadExactly(body);
            return (first >> 4, body);
        }

        public void Write(byte[] bytes) => _stream.Write(bytes);

        /// <summary>Reads the CONNECT and accepts it.</summary>
        public void ConnAck()
        {
            Expect(1);
            Write([0x20, 0x02, 0x00, 0x00]);
        }

        /// <summary>Reads the SUBSCRIBE and grants what it asked (MQTT 3.1.1).</summary>
        public void SubAck()
        {
            byte[] body = Expect(8);
            Write([0x90, 0x03, body[0], body[1], body[^1]]);
        }

        /// <summary>CONNACK and SUBACK: the bridge is subscribed.</summary>
        public void Accept()
        {
            ConnAck();
            SubAck();
        }

        /// <summary>Reads the next packet, which must be of <paramref name="type"/>; returns its body.</summary>
        public byte[] Expect(int type)
        {
            var (got, body) = Read();
            return got == type ? body : throw new InvalidOperationException($"expected packet type {type}, got {got}");
        }

        /// <summary>Answers PINGREQ until the bridge leaves, or for at most <paramref name="timeout"/>.</summary>
        public void Serve(TimeSpan timeout)
        {
            socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            try
            {
                while (true)
                    if (Read().Type == 12) Write([0xD0, 0x00]);
            }
            catch (Exception) { /* gone, or the time is up */ }
        }

        /// <summary>Closes with a TCP reset (RST) instead of a FIN: a broker or a router that drops the connection.</summary>
        public void Reset()
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }

        public void Dispose()
        {
            _stream.Dispose();
            socket.Dispose();
        }
    }

    /// <summary>A PUBLISH as a broker sends it (MQTT 3.1.1); QoS 1 to 3 carry packet id 1.</summary>
    public static byte[] Publish(string topic, string payload, int qos = 0)
    {
        byte[] topicBytes = Encoding.UTF8.GetBytes(topic);
        byte[] body = [(byte)(topicBytes.Length >> 8), (byte)topicBytes.Length, .. topicBytes, .. qos > 0 ? new byte[] { 0, 1 } : [],
            .. Encoding.UTF8.GetBytes(payload)];
        return [.. Header((byte)(0x30 | qos << 1), body.Length), .. body];
    }

    /// <summary>A fixed header: the first byte, then the remaining length as a variable byte integer.</summary>
    public static byte[] Header(byte first, int remainingLength)
    {
        var bytes = new List<byte> { first };
        do
        {
            byte b = (byte)(remainingLength & 0x7F);
            remainingLength >>= 7;
            bytes.Add(remainingLength > 0 ? (byte)(b | 0x80) : b);
        } while (remainingLength > 0);
        return [.. bytes];
    }
}
