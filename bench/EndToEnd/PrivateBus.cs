using System.Diagnostics;

namespace MeterBridge.Bench.EndToEnd;

/// <summary>A private dbus-daemon on a unix socket in a temp folder, configured like a GX's system bus.</summary>
public sealed class PrivateBus : IDisposable
{
    private readonly Process _process;

    public string Address { get; }

    public int ProcessId => _process.Id;

    public PrivateBus(string folder)
    {
        string socket = Path.Combine(folder, "bus.sock");
        string config = Path.Combine(folder, "bus.conf");
        File.WriteAllText(config, $"""
            <busconfig>
              <type>system</type>
              <listen>unix:path={socket}</listen>
              <auth>EXTERNAL</auth>
              <policy context="default"><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy>
            </busconfig>
            """);
        _process = Processes.Start("dbus-daemon", $"--config-file={config}", "--nofork", "--nopidfile");
        Address = "unix:path=" + socket;
        Processes.WaitUntil(() => File.Exists(socket), "dbus-daemon did not create its socket");
    }

    public void Dispose() => Processes.Stop(_process);
}
