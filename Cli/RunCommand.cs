using System.Diagnostics;
using MeterBridge.Config;
using MeterBridge.DBus;
using MeterBridge.Items;
using MeterBridge.Bridge;
using MeterBridge.Logging;
using MeterBridge.Mqtt;
using MeterBridge.Setup;

namespace MeterBridge.Cli;

/// <summary><c>meterbridge run</c>: wires the MQTT edge, the hot loop and the D-Bus service together and runs until stopped.</summary>
internal static class RunCommand
{
    /// <param name="reportState">For <c>meterbridge app</c>: write the status as <c>@state</c> lines on standard error
    /// (<see cref="StateLines"/>), and stop when standard input closes.</param>
    public static async Task<int> RunAsync(Settings settings, IReadOnlyList<string> warnings, CancellationToken stop, bool reportState = false)
    {
        var log = new Log(settings.Logging, Console.Out);
        foreach (var warning in warnings) log.Warning(warning);

        try
        {
            if (await BusNameCheck.IsTakenAsync(settings.DbusAddress, settings.ServiceName))
            {
                log.Error($"the D-Bus name {settings.ServiceName} is already taken: is another meter running with device_instance {settings.DeviceInstance}?");
                return ExitCodes.NameTaken;
            }
        }
        catch (Exception error)
        {
            log.Error($"cannot reach D-Bus at {settings.DbusAddress ?? "the system bus"}: {error.Message}");
            return ExitCodes.RuntimeFailure;
        }

        string host = PortalId();
        string clientId = $"MeterBridge_{host}_{settings.DeviceInstance}";
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (reportState) StopWhenInputCloses(shutdown, log);
        var wake = new AutoResetEvent(false);
        var paths = new DeviceSettings(settings.DeviceInstance);

        // The sync needs the client, so the client's first signals may come before the sync exists: they are dropped, and
        // the question "is it there?" is asked only once the sync listens, so no appearance is missed.
        SettingsSync? sync = null;
        var localSettings = await ConnectLocalSettingsAsync(settings, paths, log, present => sync?.OnPresence(present), (path, value) => sync?.OnSettingChanged(path, value));
        using var _ = localSettings;
        var wait = localSettings is null ? TimeSpan.Zero : TimeSpan.FromSeconds(settings.SettingsWait ?? (IsVenusOs() ? VenusSettingsWait : 0));
        sync = new SettingsSync(paths, DeviceSetup.FromConfig(settings), settings.DeviceName, localSettings, wait, log, TimeProvider.System, () => wake.Set(), shutdown.Token);
        if (await IsPresentAsync(localSettings, log)) sync.OnPresence(true);
        else if (localSettings is not null)
            log.Info(wait > TimeSpan.Zero
                ? $"no {LocalSettings.ServiceName} on D-Bus yet: waiting up to {wait.TotalSeconds:0.###} s for it before registering from the config (settings_wait)"
                : $"no {LocalSettings.ServiceName} on D-Bus (not a GX?): role, VRM instance and name come from the config; changes are kept in memory");

        var table = new ItemTable();
        await using var service = new BusItemService(table, settings.ServiceName, settings.DbusAddress, sync.Write, settings.PropertiesChanged);
        var status = settings.StatusTopic.Length == 0 ? null : new StatusPublisher(settings.StatusTopic,
            settings.HaDiscovery ? HomeAssistantDiscovery.Configs(settings.StatusTopic, HomeAssistantDiscovery.NodeId(host, settings.DeviceInstance), settings.DeviceInstance, Identity.Version) : [],
            log);
        IStatusSink? statusSink = reportState ? new StateLines(Console.Error, status) : status;
        var loop = new HotLoop(settings, log, service, table, sync, wake, shutdown.Token, statusSink);
        var mqtt = new MqttSubscriber(settings, clientId, log, loop, status);
        log.Info($"meterbridge {Identity.Version}: {RoleNames.Of(settings.DeviceType)} meter {settings.ServiceName} from {settings.BrokerAddress}:{settings.BrokerPort} topic {settings.Topic}");

        var publisher = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { publisher.SetResult(loop.Run()); }
            catch (Exception error) { publisher.SetException(error); }
        }) { Name = "publisher", IsBackground = true };
        thread.Start();
        var receiving = mqtt.RunAsync(shutdown.Token);

        int exitCode;
        try
        {
            var busLost = localSettings is null ? service.ConnectionLost : Task.WhenAny(service.ConnectionLost, localSettings.ConnectionLost).Unwrap();
            var first = await Task.WhenAny(publisher.Task, busLost);
            if (first == busLost)
            {
                log.Error($"lost the D-Bus connection ({busLost.Result.Message}): exiting so daemontools restarts the service");
                exitCode = ExitCodes.RuntimeFailure;
            }
            else exitCode = await publisher.Task ? ExitCodes.Ok : ExitCodes.RuntimeFailure;
        }
        catch (BusNameTakenException taken)
        {
            log.Error($"the D-Bus name {taken.Name} is already taken: is another meter running with device_instance {settings.DeviceInstance}?");
            exitCode = ExitCodes.NameTaken;
        }
        catch (Exception error)
        {
            log.Error($"stopped by an error: {error.Message}");
            exitCode = ExitCodes.RuntimeFailure;
        }

        shutdown.Cancel();
        // The publisher writes the energy counters file as it stops: let it, whichever way the run ended.
        try { await publisher.Task.WaitAsync(TimeSpan.FromSeconds(2)); } catch (Exception) { /* it ended the run, or is stuck on a lost bus */ }
        await mqtt.StopAsync();
        try { await receiving.WaitAsync(TimeSpan.FromMilliseconds(300)); } catch (Exception) { /* already stopping */ }
        await service.UnregisterAsync();
        log.Info($"stopped (exit code {exitCode})");
        return exitCode;
    }

    /// <summary>
    /// A meter of <c>meterbridge app</c> (<c>--report-state</c>) stops when the app is gone, however it went: the app's end
    /// of our standard input closes. So an app killed outright leaves no meter behind to hold the D-Bus name against the
    /// next one. The thread sleeps in read until then.
    /// </summary>
    private static void StopWhenInputCloses(CancellationTokenSource shutdown, Log log) =>
        new Thread(() =>
        {
            try
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[16];
                while (input.Read(buffer) > 0) { }
            }
            catch (IOException) { /* closed all the same */ }
            log.Info("standard input closed (meterbridge app is gone): stopping");
            try { shutdown.Cancel(); }
            catch (ObjectDisposedException) { /* run returned already */ }
        }, maxStackSize: 64 * 1024) { IsBackground = true, Name = "app watch" }.Start();

    /// <summary>
    /// How long a meter on Venus OS waits at start for the settings service before it registers from its config
    /// (settings_wait = auto). On a GX the settings service is there before any third-party service, except when it
    /// starts late or crashed: then the meter comes up under its config's role within a minute rather than never, and
    /// follows the stored role once the service appears. Off a GX nothing is waited for.
    /// </summary>
    private const double VenusSettingsWait = 60;

    /// <summary>Victron's services live in /opt/victronenergy on every Venus OS image.</summary>
    private static bool IsVenusOs() => Directory.Exists("/opt/victronenergy");

    /// <summary>
    /// The settings service client, watching our settings. Null (and a warning logged) when it cannot be set up: the meter
    /// then runs on its config alone.
    /// </summary>
    private static async Task<LocalSettings?> ConnectLocalSettingsAsync(Settings settings, DeviceSettings paths, Log log,
        Action<bool> presence, Action<string, BusValue> changed)
    {
        try
        {
            return await LocalSettings.ConnectAsync(settings.DbusAddress, paths.Prefix, presence, changed);
        }
        catch (Exception error)
        {
            log.Warning($"cannot watch {LocalSettings.ServiceName} ({error.Message}): role, VRM instance and name come from the config; changes are kept in memory");
            return null;
        }
    }

    /// <summary>Whether the settings service is on the bus now; false (with a warning) when the question fails.</summary>
    private static async Task<bool> IsPresentAsync(LocalSettings? localSettings, Log log)
    {
        if (localSettings is null) return false;
        try
        {
            return await localSettings.IsPresentAsync();
        }
        catch (Exception error)
        {
            log.Warning($"cannot ask D-Bus whether {LocalSettings.ServiceName} is there ({error.Message}): it is adopted when it next appears");
            return false;
        }
    }

    /// <summary>The GX's portal id (VRM), else the host name: part of the MQTT client id.</summary>
    private static string PortalId()
    {
        const string tool = "/sbin/get-unique-id";
        if (File.Exists(tool))
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(tool) { RedirectStandardOutput = true, UseShellExecute = false });
                if (process != null)
                {
                    string id = process.StandardOutput.ReadToEnd().Trim();
                    process.WaitForExit(2000);
                    if (id.Length > 0) return id;
                }
            }
            catch (Exception) { /* fall back to the host name */ }
        }
        return Environment.MachineName;
    }
}
