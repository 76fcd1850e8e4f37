namespace MeterBridge.Mqtt;

/// <summary>Whether the GX gets fresh values, as the broker is told (<see cref="StatusJson"/>).</summary>
internal enum MeterHealth : byte
{
    /// <summary>Not on D-Bus yet: no accepted message yet, or the settings service is awaited.</summary>
    Waiting,
    Fresh,
    /// <summary>No message accepted for <c>timeout</c> seconds (whatever timeout_action then did).</summary>
    Stale,
}

/// <summary>What the bridge shows of its meter, as the hot loop's publisher thread last saw it.</summary>
/// <param name="Service">The D-Bus service name, which changes with the role.</param>
/// <param name="Role">device_type as shown (the GX may have changed it).</param>
/// <param name="DeviceInstance">The VRM instance shown on the GX.</param>
internal sealed record BridgeStatus(MeterHealth State, string Service, string Role, int DeviceInstance);
