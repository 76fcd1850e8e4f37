using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using MQTTnet.Packets;
using MeterBridge.Core;

namespace MeterBridge.Mqtt;

/// <summary>
/// The QoS 0 reader: a thread of ours that reads the connection with blocking calls (a <see cref="BlockingSocketStream"/>
/// under our <see cref="PacketReader"/>), hands every payload to the bridge on the spot and, when the kernel has nothing
/// more, lets the bridge publish. Between two D-Bus updates it does not read at all: it sleeps until the bridge may
/// publish again and then reads what arrived meanwhile in one go. So it wakes once per update interval while
/// messages flow, and once per message when they come slower than that.
/// </summary>
internal sealed partial class ReaderAdapter
{
    private readonly ManualResetEventSlim _stopReading = new(false, spinCount: 0);
    private Channel<MqttPacket?>? _handOver; // what MQTTnet must see: CONNACK, SUBACK, …; null = connection closed
    private volatile bool _readerWaits;
    private volatile bool _readerStopped;

    private void StartReader(QosZeroReading reading)
    {
        _handOver = Channel.CreateUnbounded<MqttPacket?>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        new Thread(() => Read(reading.Sink, reading.Socket, reading.Packets)) { Name = "mqtt reader", IsBackground = true }.Start();
    }

    private void Read(IPayloadSink sink, BlockingSocketConnector socket, PacketReader packets)
    {
        var handOver = _handOver!.Writer;
        var limit = new SitOutLimit(Stopwatch.Frequency);
        try
        {
            while (!_readerStopped)
            {
                switch (packets.Next(out string topic, out var payload, out MqttPacket? packet, out long skipped))
                {
                    case PacketReader.Kind.Publish:
                        Heard();
                        PublishArrived();
                        limit.Counted();
                        sink.OnPayload(topic, payload);
                        break;
                    case PacketReader.Kind.Skipped:
                        Heard();
                        limit.Counted();
                        sink.OnOversized(skipped);
                        break;
                    case PacketReader.Kind.Packet:
                        if (Received(packet)) handOver.TryWrite(packet);
                        break;
                    default:
                        if (_brokerSilent) throw BrokerSilent(null);
                        handOver.TryWrite(null); // closed: MQTTnet reads "no packet" as the connection lost
                        return;
                }
                while (!_readerStopped && !packets.HasPacket && !socket.HasUnreadData)
                {
                    long now = Stopwatch.GetTimestamp();
                    long until = sink.EndOfBatch(readBy: limit.Until(now, packets.BytesRead));
                    if (until == 0)
                    {
                        limit.Quiet();
                        break;
                    }
                    limit.SittingOut(now, packets.BytesRead);
                    SitOut(until);
                }
            }
        }
        catch (Exception error)
        {
            handOver.TryComplete(_brokerSilent && error is not BrokerSilentException ? BrokerSilent(error) : error);
        }
        finally
        {
            sink.EndOfBatch(readBy: 0); // an update still due goes out from the publisher thread
        }
    }

    /// <summary>Sleeps until the bridge may publish again, not reading: what arrives meanwhile waits in the kernel.</summary>
    private void SitOut(long until)
    {
        _readerWaits = true;
        _stopReading.Wait(Deadline.MillisecondsFrom(Stopwatch.GetTimestamp(), until));
        _readerWaits = false;
    }

    /// <summary>MQTTnet's receive loop (and its connect): the packets the reader handed over.</summary>
    private async Task<MqttPacket> ReceiveFromReaderAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _handOver!.Reader.ReadAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (ChannelClosedException closed) when (closed.InnerException is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
            throw;
        }
    }

    private void StopReader()
    {
        _readerStopped = true;
        _stopReading.Set(); // a reader sitting out an interval ends; one blocked in recv ends when the socket closes
    }
}
