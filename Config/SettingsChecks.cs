namespace MeterBridge.Config;

/// <summary>Checks that look at several settings together, or at the files they name, after all sources are merged.</summary>
internal static class SettingsChecks
{
    /// <summary>What the Python driver's sample has instead of a broker address.</summary>
    public const string SamplePlaceholder = "IP_ADDR_OR_FQDN";

    public static void Run(Settings s, IReadOnlyDictionary<string, ValueOrigin> origins, List<string> problems, List<string> warnings)
    {
        if (s.BrokerAddress == SamplePlaceholder)
            warnings.Add($"{origins["broker_address"].Where} {ValueText.Quote(s.BrokerAddress)} is the sample's placeholder: set the broker's address");

        if ((s.TlsClientCert is null) != (s.TlsClientKey is null))
            problems.Add(s.TlsClientCert is null
                ? $"{origins["tls_client_key"].Where} {ValueText.Quote(s.TlsClientKey!)} needs tls_client_cert too"
                : $"{origins["tls_client_cert"].Where} {ValueText.Quote(s.TlsClientCert)} needs tls_client_key too");

        (string Key, string? Path)[] tlsFiles = [("tls_path_to_ca", s.TlsPathToCa), ("tls_client_cert", s.TlsClientCert), ("tls_client_key", s.TlsClientKey)];
        foreach ((string key, string? path) in tlsFiles)
        {
            if (path is null)
                continue;
            if (!s.TlsEnabled)
                warnings.Add($"{origins[key].Where} {ValueText.Quote(path)} has no effect while tls_enabled is 0");
            else if (!File.Exists(path))
                problems.Add($"{origins[key].Where} {ValueText.Quote(path)} is not an existing file");
        }
        if (s.TlsInsecure && !s.TlsEnabled)
            warnings.Add($"{origins["tls_insecure"].Where} \"1\" has no effect while tls_enabled is 0");

        if (s.StatusTopic.Length > 0 && s.Subscriptions.FirstOrDefault(f => Sources.TopicFilter.Matches(f, s.StatusTopic + "/status")) is { } reads)
            warnings.Add($"{origins["status_topic"].Where} {ValueText.Quote(s.StatusTopic)}: the subscription to {reads} reads the bridge's own status (each rejected); set another status_topic");

        if (s.HaDiscovery && s.StatusTopic.Length == 0)
            warnings.Add($"{origins["ha_discovery"].Where} \"1\" has no effect while status_topic is empty");

        if (s.Password is not null && s.Username is null)
            warnings.Add("a password is set but no username: it is not sent (MQTT needs a username with a password)");
    }
}
