namespace MeterBridge.GxApp;

/// <summary>A key of an imported config.ini that has no setting (update_interval, status_topic, …), with its value as read
/// (interpolated): it keeps coming from that file into app.ini.</summary>
internal sealed record CarriedKey(string Key, string Value);
