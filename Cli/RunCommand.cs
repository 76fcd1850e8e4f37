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
public static class RunCommand
{
    public static async Task<int> RunAsync(Settings settings, IReadOnlyList<string> warnings, CancellationToken stop)
    {
        var log = new Log(settings.Logging, Console.Out);
        foreach (var warning in warnings) log.Warning(warning);

        try
        {
            if (await BusNameCheck.IsTakenAsync(settings.DbusAddress, settings.ServiceName))
            {
                log.Error($"the D-Bus name {settings.ServiceName} is already taken: is another meter running with device_instance {settings.DeviceInstance}?");
                return 3;
            }
        }
        catch (Exception error)
        {
            log.Error($"cannot reach D-Bus at {settings.DbusAddress ?? "the system bus"}: {error.Message}");
            return 1;
        }

        string clientId = $"MeterBridge_{PortalId()}_{settings.DeviceInstance}";
        var table = new ItemTable();
        HotLoop? bridgeForWrites = null;
        await using var service = new BusItemService(table, settings.ServiceName, settings.DbusAddress,
            (ItemTable t, int row, in BusValue value) => bridgeForWrites?.Write(t, row, value) ?? SetValueResult.NotWritable,
            settings.PropertiesChanged);
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(stop);

        var (localSettings, settingsPresent) = await ConnectLocalSettingsAsync(settings, log,
            present => bridgeForWrites?.OnSettingsPresence(present), (path, value) => bridgeForWrites?.OnSettingChanged(path, value));
        using var _ = localSettings;
        await DelayForTestsAsync();
        var bridge = new HotLoop(settings, log, service, table, localSettings, shutdown.Token);
        bridgeForWrites = bridge;
        // A settings service that appeared after ListNames answered and before the line above was signalled to no
        // bridge: look once more now that signals reach it (a second report of the same appearance changes nothing).
        if (settingsPresent || await IsPresentAsync(localSettings, log)) bridge.OnSettingsPresence(true);
        var mqtt = new MqttSubscriber(settings, clientId, log, bridge);
        log.Info($"meterbridge {Identity.Version}: {RoleNames.Of(settings.DeviceType)} meter {settings.ServiceName} from {settings.BrokerAddress}:{settings.BrokerPort} topic {settings.Topic}");

        var publisher = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { publisher.SetResult(bridge.Run()); }
            catch (Exception error) { publisher.SetException(error); }
        }) { Name = "publisher", IsBackground = true };
        thread.Start();
        var receiving = mqtt.RunAsync(shutdown.Token);

        int exitCode;
        try
        {
            var first = await Task.WhenAny(publisher.Task, service.ConnectionLost);
            if (first == service.ConnectionLost)
            {
                log.Error($"lost the D-Bus connection ({service.ConnectionLost.Result.Message}): exiting so daemontools restarts the service");
                exitCode = 1;
            }
            else exitCode = await publisher.Task;
        }
        catch (BusNameTakenException taken)
        {
            log.Error($"the D-Bus name {taken.Name} is already taken: is another meter running with device_instance {settings.DeviceInstance}?");
            exitCode = 3;
        }
        catch (Exception error)
        {
            log.Error($"stopped by an error: {error.Message}");
            exitCode = 1;
        }

        shutdown.Cancel();
        await mqtt.StopAsync();
        try { await receiving.WaitAsync(TimeSpan.FromMilliseconds(300)); } catch (Exception) { /* already stopping */ }
        await service.UnregisterAsync();
        log.Info($"stopped (exit code {exitCode})");
        return exitCode;
    }

    /// <summary>
    /// The settings service client, watching our settings, and whether the service is on the bus now. The client is
    /// null (and a warning logged) when it cannot be set up: the meter then runs on its config alone.
    /// </summary>
    private static async Task<(LocalSettings? Client, bool Present)> ConnectLocalSettingsAsync(Settings settings, Log log,
        Action<bool> presence, Action<string, BusValue> changed)
    {
        LocalSettings? client = null;
        try
        {
            client = await LocalSettings.ConnectAsync(settings.DbusAddress, new DeviceSettings(settings.DeviceInstance).Prefix, presence, changed);
            if (await client.IsPresentAsync()) return (client, true);
            log.Info($"no {LocalSettings.ServiceName} on D-Bus (not a GX?): role, VRM instance and name come from the config; changes are kept in memory");
            return (client, false);
        }
        catch (Exception error)
        {
            client?.Dispose();
            log.Warning($"cannot watch {LocalSettings.ServiceName} ({error.Message}): role, VRM instance and name come from the config; changes are kept in memory");
            return (null, false);
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

    /// <summary>
    /// Test hook: MB_TEST_DELAY_BEFORE_WIRING_MS widens the moment between the settings service check and the wiring
    /// of the bridge, so an end-to-end test can make the settings service appear exactly then. Unset: no delay.
    /// </summary>
    private static Task DelayForTestsAsync() =>
        int.TryParse(Environment.GetEnvironmentVariable("MB_TEST_DELAY_BEFORE_WIRING_MS"), out int milliseconds) && milliseconds > 0
            ? Task.Delay(milliseconds)
            : Task.CompletedTask;

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
