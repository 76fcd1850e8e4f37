using System.Diagnostics;
using MeterBridge.Tests.Infrastructure;
using MQTTnet;

namespace MeterBridge.Bench.EndToEnd;

/// <summary>
/// One benchmark setup: a private dbus-daemon and Mosquitto (the tests' own, Infrastructure/DBusDaemon.cs and
/// Mosquitto.cs), a D-Bus client recording the meter's signals, an MQTT publisher, and the bridge process between them.
/// Dispose stops it all.
/// </summary>
public sealed class BenchRig : IDisposable
{
    private readonly DBusDaemon _bus;
    private readonly Mosquitto _broker;
    private Process? _bridge;

    private BenchRig(DBusDaemon bus, Mosquitto broker, SignalRecorder recorder, IMqttClient publisher)
    {
        _bus = bus;
        _broker = broker;
        Recorder = recorder;
        Publisher = publisher;
    }

    public SignalRecorder Recorder { get; }
    public IMqttClient Publisher { get; }
    public int BusProcessId => _bus.ProcessId;
    public Process Bridge => _bridge ?? throw new InvalidOperationException("the bridge is not started");

    /// <param name="name">Names the publisher's client id.</param>
    /// <param name="service">The meter's D-Bus name, whose signals are recorded.</param>
    public static async Task<BenchRig> StartAsync(string name, string service)
    {
        var bus = new DBusDaemon();
        var broker = new Mosquitto();
        var recorder = await SignalRecorder.StartAsync(bus.Address, service);
        var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId(name).Build());
        return new BenchRig(bus, broker, recorder, publisher);
    }

    /// <summary>Spawns the binary on the private bus and broker; returns at once.</summary>
    public Process StartBridge(string binary, string topic, int deviceInstance, params string[] extra) =>
        _bridge = Processes.Start(binary, ["--dbus-address", _bus.Address, "--broker-address", "127.0.0.1", "--broker-port",
            _broker.Port.ToString(), "--topic", topic, "--device-instance", deviceInstance.ToString(), .. extra]);

    public void Dispose()
    {
        if (_bridge is not null) Processes.Stop(_bridge);
        Publisher.Dispose();
        Recorder.Dispose();
        _broker.Dispose();
        _bus.Dispose();
    }
}
