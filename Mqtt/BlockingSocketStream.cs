using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace MeterBridge.Mqtt;

/// <summary>
/// The broker connection as a <see cref="Stream"/> over a socket that is only ever used with plain blocking calls.
/// Such a socket never joins .NET's epoll set, so bytes that arrive while the bridge is not reading wake nobody: the
/// MQTT reader thread sleeps in recv when there is nothing to read, or sleeps out an update interval while the
/// kernel collects the next messages (Mqtt/ReaderAdapter.cs). Small reads (TLS records, MQTTnet's) are buffered, so
/// one recv serves many; a large one (the QoS 0 reader's whole batch) goes straight into the caller's buffer. MQTTnet layers TLS on top when it is enabled.
/// </summary>
internal sealed class BlockingSocketStream(Socket socket, EndPoint remote) : Stream, IMqttClientStreamEndPoints
{
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start, _end;
    private volatile bool _disposed;

    /// <summary>Whether a read would return at once: bytes in our buffer or in the kernel's.</summary>
    public bool HasUnreadData
    {
        get
        {
            if (_start < _end) return true;
            try { return !_disposed && socket.Available > 0; }
            catch (ObjectDisposedException) { return false; }
            catch (SocketException) { return false; }
        }
    }

    public EndPoint? LocalEndPoint => socket.LocalEndPoint;
    public EndPoint RemoteEndPoint => remote;

    public override int Read(Span<byte> destination)
    {
        if (_start == _end)
        {
            // A large read (our PacketReader's) takes the bytes straight from the kernel: no copy through our buffer.
            if (destination.Length >= _buffer.Length) return Receive(destination);
            _start = _end = 0;
            _end = Receive(_buffer);
            if (_end == 0) return 0; // the broker closed the connection
        }
        int count = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }

    private int Receive(Span<byte> destination)
    {
        try { return socket.Receive(destination); }
        catch (SocketException error) { throw new IOException(error.Message, error); }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Write(ReadOnlySpan<byte> source)
    {
        try
        {
            while (!source.IsEmpty) source = source[socket.Send(source)..];
        }
        catch (SocketException error) { throw new IOException(error.Message, error); }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            // Shutdown first: closing alone does not end a recv that another thread is blocked in.
            try { socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
            socket.Dispose();
        }
        base.Dispose(disposing);
    }
}
