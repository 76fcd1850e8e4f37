namespace MeterBridge.Config;

/// <summary>Where a config.ini key is read, as the Python driver reads it.</summary>
public enum KeyHome : byte
{
    /// <summary>Read from <c>config["DEFAULT"]</c>: only the [DEFAULT] section counts.</summary>
    Default,
    /// <summary>Read from <c>config["MQTT"]</c>: [MQTT], or [DEFAULT] seen through it.</summary>
    Mqtt,
}
