using System.Buffers;

namespace MeterBridge.Mqtt;

/// <summary>Where the MQTT edge hands what it reads: the bridge.</summary>
internal interface IPayloadSink
{
    /// <summary>One message: decode and merge it (no D-Bus traffic yet).</summary>
    void OnPayload(string topic, ReadOnlySequence<byte> payload);

    /// <summary>A message too large for max_payload_size was read past without being stored (OversizedPublishFilter).</summary>
    void OnOversized(long size);

    /// <summary>
    /// Nothing more to read right now: publish what was merged when the update interval allows. Returns the Stopwatch
    /// timestamp until which the reader should not read (the messages meanwhile wait in the kernel, and the reader comes
    /// back here at that time), never later than <paramref name="readBy"/>; 0: read on. A reader that cannot wait passes 0,
    /// and the publisher thread sends the update at the end of the interval.
    /// </summary>
    /// <param name="readBy">The latest time the reader may sit out until (<see cref="SitOutLimit"/>); 0: it cannot wait.</param>
    long EndOfBatch(long readBy);
}
