using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;

namespace MeterBridge.Mqtt;

/// <summary>
/// The byte stream under MQTTnet's packet reader, which drops a PUBLISH too large for the bridge before MQTTnet sees
/// it. MQTTnet allocates a packet's whole body before anything can look at its size, so one retained 20 MB message
/// would exhaust the 32 MiB heap on every reconnect. Here the fixed header (type and remaining length) is read first;
/// a PUBLISH longer than <paramref name="maxRemainingLength"/> is read into a small reused buffer and thrown away,
/// and MQTTnet is handed the next packet instead; any other packet longer than <see cref="MqttWire.MaxControlPacketLength"/>
/// ends the connection as the broker's violation. Every other byte passes through untouched, body reads straight into
/// MQTTnet's buffer, so the hot path keeps its reads and gains no copy.
/// </summary>
/// <param name="onSkipped">Told the total size of each dropped message (on the read thread).</param>
internal sealed class OversizedPublishFilter(IMqttChannel inner, long maxRemainingLength, Action<long> onSkipped) : IMqttChannel
{
    // A PUBLISH larger than this leaves MQTTnet's copies of it for the GC to give back (MemoryGiveBack).
    private const int LargeMessage = 1024 * 1024;

    // A fixed header is one type byte and at most four remaining-length bytes.
    private readonly byte[] _header = new byte[5];
    private int _headerLength;
    private int _headerServed;
    private long _bodyLeft;
    private Task<int>? _bodyRead;
    private byte[]? _discard;
    private bool _large, _afterLarge;

    public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        // MQTTnet awaits each read before the next, so the previous pass-through read has completed by now: account for
        // it here instead of in a continuation, which would cost an allocation per read.
        if (_bodyRead is { } previous)
        {
            _bodyRead = null;
            if (previous.IsCompletedSuccessfully) _bodyLeft -= previous.Result;
            if (_bodyLeft == 0 && _large)
            {
                _large = false;
                _afterLarge = true;
                MemoryGiveBack.Soon(); // MQTTnet's copies of the message are garbage once it is applied
            }
        }
        if (_headerServed < _headerLength) return Task.FromResult(ServeHeader(buffer, offset, count));
        if (_bodyLeft > 0)
            return _bodyRead = inner.ReadAsync(buffer, offset, (int)Math.Min(count, _bodyLeft), cancellationToken);
        return ReadNextHeaderAsync(buffer, offset, count, cancellationToken);
    }

    /// <summary>At a packet boundary: reads the next fixed header, skipping oversized PUBLISH packets whole.</summary>
    private async Task<int> ReadNextHeaderAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The same reads MQTTnet would make: two bytes, then one per further length byte.
            _headerLength = 0;
            _headerServed = 0;
            while (_headerLength < 2)
            {
                int read = await inner.ReadAsync(_header, _headerLength, 2 - _headerLength, cancellationToken).ConfigureAwait(false);
                if (read == 0) { _headerLength = 0; return 0; }
                _headerLength += read;
            }
            while ((_header[_headerLength - 1] & 0x80) != 0 && _headerLength < _header.Length)
            {
                int read = await inner.ReadAsync(_header, _headerLength, 1, cancellationToken).ConfigureAwait(false);
                if (read == 0) { _headerLength = 0; return 0; }
                _headerLength += read;
            }

            // A length that does not end in four bytes, or a packet other than a PUBLISH longer than the bridge takes, throws
            // here, before MQTTnet allocates its body.
            MqttWire.TryReadFixedHeader(_header.AsSpan(0, _headerLength), out _, out int remaining);
            if (MqttWire.Type(_header[0]) != MqttWire.Publish || remaining <= maxRemainingLength)
            {
                _bodyLeft = remaining;
                if (MqttWire.Type(_header[0]) == MqttWire.Publish)
                {
                    // MQTTnet's loop that applies messages keeps the last one referenced until the next arrives: collect again then.
                    if (_afterLarge) MemoryGiveBack.Soon();
                    _afterLarge = false;
                    _large = remaining > LargeMessage;
                }
                return ServeHeader(buffer, offset, count);
            }
            if (!await SkipAsync(remaining, cancellationToken).ConfigureAwait(false)) { _headerLength = 0; return 0; }
            onSkipped(_headerLength + remaining);
        }
    }

    private int ServeHeader(byte[] buffer, int offset, int count)
    {
        int served = Math.Min(count, _headerLength - _headerServed);
        _header.AsSpan(_headerServed, served).CopyTo(buffer.AsSpan(offset));
        _headerServed += served;
        return served;
    }

    /// <summary>Reads and forgets <paramref name="length"/> bytes; false when the connection closed first.</summary>
    private async Task<bool> SkipAsync(long length, CancellationToken cancellationToken)
    {
        _discard ??= new byte[16 * 1024];
        while (length > 0)
        {
            int read = await inner.ReadAsync(_discard, 0, (int)Math.Min(_discard.Length, length), cancellationToken).ConfigureAwait(false);
            if (read == 0) return false;
            length -= read;
        }
        return true;
    }

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, isEndOfPacket, cancellationToken);

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);
    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);
    public X509Certificate2 ClientCertificate => inner.ClientCertificate;
    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;
    public EndPoint LocalEndPoint => inner.LocalEndPoint;
    public bool IsSecureConnection => inner.IsSecureConnection;
    public void Dispose() => inner.Dispose();
}
