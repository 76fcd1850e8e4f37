using System.Diagnostics;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// A private <c>dbus-daemon</c> for one test class: its own socket in a temp folder, EXTERNAL auth,
/// a policy that lets anyone own, send and receive. Killed on Dispose.
/// </summary>
public sealed class DBusDaemon : IDisposable
{
    private readonly string _folder;
    private readonly int _pid;

    public DBusDaemon()
    {
        _folder = Directory.CreateTempSubdirectory("meterbridge-dbus-").FullName;
        string config = Path.Combine(_folder, "bus.conf");
        File.WriteAllText(config, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>unix:path={_folder}/bus</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow user="*"/>
                <allow own="*"/>
                <allow send_destination="*" eavesdrop="true"/>
                <allow receive_sender="*"/>
                <allow eavesdrop="true"/>
              </policy>
            </busconfig>
            """);
        var result = Tool.Run("dbus-daemon", $"--config-file={config}", "--print-address=1", "--print-pid=1", "--fork");
        if (result.ExitCode != 0) throw new InvalidOperationException($"dbus-daemon failed: {result.Stderr}");
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Address = lines[0];
        _pid = int.Parse(lines[1]);
    }

    /// <summary>The bus address, e.g. <c>unix:path=/tmp/…/bus,guid=…</c>.</summary>
    public string Address { get; }

    /// <summary>The daemon's process, whose CPU time the benchmark reads.</summary>
    public int ProcessId => _pid;

    /// <summary>Kills the daemon now: every client loses its connection.</summary>
    public void Kill()
    {
        try
        {
            using var process = Process.GetProcessById(_pid);
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
