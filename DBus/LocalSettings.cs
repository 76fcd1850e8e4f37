using MeterBridge.Items;
using Tmds.DBus.Protocol;

namespace MeterBridge.DBus;

/// <summary>
/// A client of the GX's settings service (<c>com.victronenergy.settings</c>, Victron's localsettings), on a connection
/// of its own: adds settings, writes them, and reports when the service appears or goes and when a setting under
/// <c>pathNamespace</c> changes (settings objects are BusItems and send PropertiesChanged).
/// <para>
/// The callbacks run on the connection's receive loop: keep them short (note the news, wake a thread).
/// </para>
/// </summary>
internal sealed class LocalSettings : ISettingsStore, IDisposable
{
    public const string ServiceName = "com.victronenergy.settings";
    private const string SettingsInterface = "com.victronenergy.Settings";
    /// <summary>AddSettings takes a list of dictionaries and answers one.</summary>
    private const string SettingsList = "aa{sv}";

    private readonly DBusConnection _connection;
    private readonly TaskCompletionSource<Exception> _connectionLost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _disposed;

    private LocalSettings(DBusConnection connection)
    {
        _connection = connection;
        _ = WatchAsync(connection);
    }

    /// <summary>
    /// Completes with the reason when the connection drops without <see cref="Dispose"/>: the bus daemon went away. Before
    /// the meter registers this is its only connection, and a meter that waits for its settings must notice.
    /// </summary>
    public Task<Exception> ConnectionLost => _connectionLost.Task;

    /// <param name="presence">True when the settings service appears, false when it goes.</param>
    /// <param name="changed">A setting under <paramref name="pathNamespace"/> has a new value.</param>
    public static async Task<LocalSettings> ConnectAsync(string? busAddress, string pathNamespace,
        Action<bool> presence, Action<string, BusValue> changed)
    {
        string address = busAddress ?? DBusAddress.System ?? throw new InvalidOperationException("no D-Bus system bus address");
        var connection = new DBusConnection(address);
        try
        {
            await connection.ConnectAsync().ConfigureAwait(false);
            await connection.AddMatchAsync(
                new MatchRule { Type = MessageType.Signal, Interface = BusItemNames.Daemon, Member = BusItemNames.NameOwnerChanged, Arg0 = ServiceName },
                static (message, _) => NewOwner(message),
                notification => { if (notification.HasValue) presence(notification.Value.Length > 0); },
                emitOnCapturedContext: false, ObserverFlags.None).ConfigureAwait(false);
            await connection.AddMatchAsync(
                new MatchRule { Type = MessageType.Signal, Interface = BusItemNames.Interface, Member = BusItemNames.PropertiesChanged, PathNamespace = pathNamespace },
                static (message, _) => (Path: message.PathAsString ?? "", Value: ChangedValue(message)),
                notification => { if (notification is { HasValue: true, Value.Value: { } value }) changed(notification.Value.Path, value); },
                emitOnCapturedContext: false, ObserverFlags.None).ConfigureAwait(false);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        await Task.Yield(); // off the receive loop (see BusItemService.LeaveReceiveLoop)
        return new LocalSettings(connection);
    }

    public async Task<bool> IsPresentAsync()
    {
        var names = await _connection.ListServicesAsync().ConfigureAwait(false);
        await Task.Yield();
        return names.Contains(ServiceName);
    }

    /// <summary>AddSettings on <c>/</c>: creates what is missing and returns every value the service holds.</summary>
    public async Task<SettingValue[]> AddAsync(IReadOnlyList<SettingDefault> settings)
    {
        MessageBuffer message;
        MessageWriter writer = _connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(destination: ServiceName, path: "/", @interface: SettingsInterface, member: "AddSettings", signature: SettingsList);
            ArrayStart list = writer.WriteArrayStart(DBusType.Array);
            foreach (var setting in settings)
            {
                ArrayStart entry = writer.WriteDictionaryStart();
                writer.WriteDictionaryEntryStart();
                writer.WriteString("path");
                writer.WriteVariantString(setting.Path);
                writer.WriteDictionaryEntryStart();
                writer.WriteString("default");
                BusWire.WriteValue(ref writer, setting.Default);
                if (setting.Min is int min) { writer.WriteDictionaryEntryStart(); writer.WriteString("min"); writer.WriteVariantInt32(min); }
                if (setting.Max is int max) { writer.WriteDictionaryEntryStart(); writer.WriteString("max"); writer.WriteVariantInt32(max); }
                writer.WriteDictionaryEnd(entry);
            }
            writer.WriteArrayEnd(list);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
        var results = await _connection.CallMethodAsync(message, static (reply, _) => ReadResults(reply)).ConfigureAwait(false);
        await Task.Yield();
        return results;
    }

    /// <summary>SetValue on a setting; the service answers 0 when it took the value.</summary>
    public async Task<int> SetAsync(string path, BusValue value)
    {
        MessageBuffer message;
        MessageWriter writer = _connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(destination: ServiceName, path: path, @interface: BusItemNames.Interface, member: BusItemNames.SetValue, signature: "v");
            BusWire.WriteValue(ref writer, value);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
        int result = await _connection.CallMethodAsync(message, static (reply, _) => reply.SignatureAsString == "i" ? reply.GetBodyReader().ReadInt32()
            : throw new InvalidDataException($"SetValue answered with a reply of type '{reply.SignatureAsString}', not 'i'")).ConfigureAwait(false);
        await Task.Yield();
        return result;
    }

    public void Dispose()
    {
        _disposed = true;
        _connection.Dispose();
    }

    private async Task WatchAsync(DBusConnection connection)
    {
        Exception? reason = await connection.DisconnectedAsync().ConfigureAwait(false);
        if (!_disposed) _connectionLost.TrySetResult(reason ?? new DBusConnectionClosedException("D-Bus connection closed"));
    }

    private static string NewOwner(Message message)
    {
        Reader reader = message.GetBodyReader();
        reader.ReadString();
        reader.ReadString();
        return reader.ReadString();
    }

    /// <summary>The "Value" of a PropertiesChanged body (<c>a{sv}</c>); null when absent or of a type no setting has.</summary>
    private static BusValue? ChangedValue(Message message)
    {
        if (message.SignatureAsString != BusItemNames.PropertiesSignature) return null;
        Reader reader = message.GetBodyReader();
        ArrayEnd entries = reader.ReadDictionaryStart();
        BusValue? value = null;
        while (reader.HasNext(entries))
        {
            reader.AlignStruct();
            string key = reader.ReadString();
            VariantValue variant = reader.ReadVariantValue();
            if (key == "Value") value = BusValueReader.ToBusValue(variant);
        }
        return value;
    }

    /// <summary>AddSettings' answer, <c>aa{sv}</c>: per setting its path, error and value. Unknown keys are skipped.</summary>
    private static SettingValue[] ReadResults(Message reply)
    {
        // A reader takes any body for the type it is asked for: check the type first, or an "i" reads as an empty list.
        if (reply.SignatureAsString != SettingsList)
            throw new InvalidDataException($"AddSettings answered with a reply of type '{reply.SignatureAsString}', not '{SettingsList}'");
        var results = new List<SettingValue>();
        Reader reader = reply.GetBodyReader();
        ArrayEnd list = reader.ReadArrayStart(DBusType.Array);
        while (reader.HasNext(list))
        {
            string path = "";
            int error = -1;
            BusValue value = BusValue.Invalid;
            ArrayEnd entry = reader.ReadDictionaryStart();
            while (reader.HasNext(entry))
            {
                reader.AlignStruct();
                string key = reader.ReadString();
                VariantValue variant = reader.ReadVariantValue();
                while (variant.Type == VariantValueType.Variant) variant = variant.GetVariantValue();
                switch (key)
                {
                    case "path" when variant.Type == VariantValueType.String: path = variant.GetString(); break;
                    case "error" when variant.Type == VariantValueType.Int32: error = variant.GetInt32(); break;
                    case "value": value = BusValueReader.ToBusValue(variant) ?? BusValue.Invalid; break;
                }
            }
            results.Add(new SettingValue(path, error, value));
        }
        return [.. results];
    }
}
