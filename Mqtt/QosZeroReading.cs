namespace MeterBridge.Mqtt;

/// <summary>What the QoS 0 reader thread needs: where payloads go, the blocking socket, and the packet reader over it.</summary>
internal sealed record QosZeroReading(IPayloadSink Sink, BlockingSocketConnector Socket, PacketReader Packets);
