using System.Globalization;
using Tmds.DBus.Protocol;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// A stand-in for Victron's localsettings on a test bus: owns <c>com.victronenergy.settings</c>, answers AddSettings
/// (<c>aa{sv} → aa{sv}</c>) on <c>/</c>, and is a BusItem on every setting path (GetValue, GetText, SetValue, which sends
/// PropertiesChanged when the value changes). Its allocation rule is localsettings': a ClassAndVrmInstance, new or
/// written, gets the first instance from the one asked for up whose <c>&lt;class&gt;:N</c> no other device holds.
/// Values are int, double or string, like the settings themselves. It can answer AddSettings late
/// (<see cref="AddSettingsDelay"/>) or with an error (<see cref="AddSettingsFailures"/>), and leave the bus and return (<see cref="Stop"/>, <see cref="Start"/>).
/// </summary>
public sealed class TestSettingsService : IDisposable
{
    public const string Name = "com.victronenergy.settings";
    private const string BusItem = "com.victronenergy.BusItem";

    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly string _address;
    private DBusConnection? _connection;

    /// <param name="seed">Settings that exist before anyone adds theirs (other devices, a meter's values from an earlier run).</param>
    public TestSettingsService(string address, IReadOnlyDictionary<string, object>? seed = null)
    {
        _address = address;
        foreach (var (path, value) in seed ?? new Dictionary<string, object>()) _values[path] = value;
        Start();
    }

    /// <summary>
    /// How long AddSettings takes to answer, as on a GX busy at boot. Meanwhile the service answers nothing else
    /// (localsettings has one thread).
    /// </summary>
    public TimeSpan AddSettingsDelay { get; set; }

    /// <summary>How many AddSettings calls, from now on, get an error instead of an answer.</summary>
    public int AddSettingsFailures { get; set; }

    /// <summary>How every AddSettings is answered while set: a settings service that is broken rather than slow.</summary>
    public AddSettingsFault Fault { get; set; }

    public enum AddSettingsFault
    {
        None,
        /// <summary>An error reply carrying a Python traceback, as dbus-python sends an exception.</summary>
        PythonError,
        /// <summary>A settings service without the method.</summary>
        UnknownMethod,
        /// <summary>An answer of the wrong type.</summary>
        WrongType,
    }

    public object? Get(string path)
    {
        lock (_gate) return _values.GetValueOrDefault(path);
    }

    /// <summary>Leaves the bus (keeping the values), as when localsettings restarts.</summary>
    public void Stop()
    {
        var connection = Interlocked.Exchange(ref _connection, null);
        connection?.Dispose();
    }

    /// <summary>Joins the bus again with the values it holds.</summary>
    public void Start()
    {
        var connection = new DBusConnection(_address);
        connection.ConnectAsync().AsTask().GetAwaiter().GetResult();
        connection.AddMethodHandler(new Handler(this));
        connection.RequestNameAsync(Name, RequestNameOptions.None).GetAwaiter().GetResult();
        _connection = connection;
    }

    public void Dispose() => Stop();

    private void Handle(MethodContext context)
    {
        Message request = context.Request;
        string path = request.PathAsString ?? "";
        string member = request.MemberAsString ?? "";
        if (path == "/" && member == "AddSettings")
        {
            switch (Fault)
            {
                case AddSettingsFault.PythonError:
                    context.ReplyError("org.freedesktop.DBus.Python.TypeError",
                        "Traceback (most recent call last):\n  File \"/usr/lib/python3/dist-packages/dbus/service.py\", line 715, in _message_cb\n    retval = candidate_method(self, *args, **keywords)\nTypeError: unhashable type: 'dict'");
                    return;
                case AddSettingsFault.UnknownMethod:
                    context.ReplyError("org.freedesktop.DBus.Error.UnknownMethod", "Method \"AddSettings\" with signature \"aa{sv}\" on interface \"com.victronenergy.Settings\" doesn't exist");
                    return;
                case AddSettingsFault.WrongType:
                    Reply(context, "i", (ref MessageWriter writer) => writer.WriteInt32(0));
                    return;
            }
            if (AddSettingsFailures > 0)
            {
                AddSettingsFailures--;
                context.ReplyError("org.freedesktop.DBus.Error.Failed", "settings are being written");
            }
            else AddSettings(context);
            return;
        }

        object? value = Get(path);
        if (value is null) { context.ReplyError("org.freedesktop.DBus.Error.UnknownObject", $"no setting {path}"); return; }
        switch (member)
        {
            case "GetValue":
                Reply(context, "v", (ref MessageWriter writer) => WriteVariant(ref writer, value));
                break;
            case "GetText":
                Reply(context, "s", (ref MessageWriter writer) => writer.WriteString(Text(value)));
                break;
            case "SetValue":
                SetValue(context, path, value);
                break;
            default:
                context.ReplyError("org.freedesktop.DBus.Error.UnknownMethod", member);
                break;
        }
    }

    /// <summary>localsettings converts a value to the setting's type and refuses what does not fit.</summary>
    private void SetValue(MethodContext context, string path, object old)
    {
        object? value = FromVariant(context.Request.GetBodyReader().ReadVariantValue());
        object? converted;
        bool changed = false;
        lock (_gate)
        {
            converted = (old, value) switch
            {
                (string, string text) when IsClassAndVrmInstance(path) => FreeInstance(path, text),
                (string, string text) => text,
                (int, int number) => number,
                (double, int number) => (double)number,
                (double, double number) => number,
                _ => null,
            };
            if (converted is not null)
            {
                changed = !Equals(_values[path], converted);
                _values[path] = converted;
            }
        }
        if (converted is null) { Reply(context, "i", (ref MessageWriter writer) => writer.WriteInt32(-1)); return; }
        Reply(context, "i", (ref MessageWriter writer) => writer.WriteInt32(0));
        if (changed) SendPropertiesChanged(context.Connection, path, converted);
    }

    private void AddSettings(MethodContext context)
    {
        var added = new List<(string Path, object Value)>();
        Reader reader = context.Request.GetBodyReader();
        ArrayEnd list = reader.ReadArrayStart(DBusType.Array);
        while (reader.HasNext(list))
        {
            string path = "";
            object? fallback = null;
            ArrayEnd entry = reader.ReadDictionaryStart();
            while (reader.HasNext(entry))
            {
                reader.AlignStruct();
                string key = reader.ReadString();
                object? value = FromVariant(reader.ReadVariantValue());
                if (key == "path") path = (string)value!;
                else if (key == "default") fallback = value;
            }
            lock (_gate)
            {
                if (!_values.TryGetValue(path, out object? held))
                {
                    held = (IsClassAndVrmInstance(path) ? FreeInstance(path, (string)fallback!) : fallback)!;
                    _values[path] = held;
                }
                added.Add((path, held));
            }
        }
        Reply(context, "aa{sv}", (ref MessageWriter writer) =>
        {
            ArrayStart results = writer.WriteArrayStart(DBusType.Array);
            foreach (var (path, value) in added)
            {
                ArrayStart result = writer.WriteDictionaryStart();
                writer.WriteDictionaryEntryStart();
                writer.WriteString("path");
                writer.WriteVariantString(path);
                writer.WriteDictionaryEntryStart();
                writer.WriteString("error");
                writer.WriteVariantInt32(0);
                writer.WriteDictionaryEntryStart();
                writer.WriteString("value");
                WriteVariant(ref writer, value);
                writer.WriteDictionaryEnd(result);
            }
            writer.WriteArrayEnd(results);
        });
    }

    private static bool IsClassAndVrmInstance(string path) => path.EndsWith("/ClassAndVrmInstance", StringComparison.Ordinal);

    /// <summary>"grid:40" while another device holds grid:40 becomes grid:41, and so on; null when not class:number. Under the gate.</summary>
    private string? FreeInstance(string path, string wanted)
    {
        string[] parts = wanted.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out int instance)) return null;
        string deviceClass = parts[0];
        var taken = _values.Where(v => IsClassAndVrmInstance(v.Key) && v.Key != path).Select(v => v.Value as string).ToHashSet();
        while (taken.Contains($"{deviceClass}:{instance}")) instance++;
        return $"{deviceClass}:{instance}";
    }

    private static void SendPropertiesChanged(DBusConnection connection, string path, object value)
    {
        MessageWriter writer = connection.GetMessageWriter();
        try
        {
            writer.WriteSignalHeader(null, path, BusItem, "PropertiesChanged", "a{sv}");
            ArrayStart entries = writer.WriteDictionaryStart();
            writer.WriteDictionaryEntryStart();
            writer.WriteString("Value");
            WriteVariant(ref writer, value);
            writer.WriteDictionaryEntryStart();
            writer.WriteString("Text");
            writer.WriteVariantString(Text(value));
            writer.WriteDictionaryEnd(entries);
            connection.TrySendMessage(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    private delegate void Body(ref MessageWriter writer);

    private static void Reply(MethodContext context, string signature, Body body)
    {
        MessageWriter writer = context.CreateReplyWriter(signature);
        try
        {
            body(ref writer);
            context.Reply(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static void WriteVariant(ref MessageWriter writer, object value)
    {
        switch (value)
        {
            case int number: writer.WriteVariantInt32(number); break;
            case double number: writer.WriteVariantDouble(number); break;
            default: writer.WriteVariantString((string)value); break;
        }
    }

    private static object? FromVariant(VariantValue variant)
    {
        while (variant.Type == VariantValueType.Variant) variant = variant.GetVariantValue();
        return variant.Type switch
        {
            VariantValueType.String => variant.GetString(),
            VariantValueType.Int32 => variant.GetInt32(),
            VariantValueType.Double => variant.GetDouble(),
            _ => null,
        };
    }

    private static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    private sealed class Handler(TestSettingsService service) : IPathMethodHandler
    {
        public string Path => "/";
        public bool HandlesChildPaths => true;

        public async ValueTask HandleMethodAsync(MethodContext context)
        {
            // Awaited here, the connection reads no further message until the answer is out.
            if (context.Request.MemberAsString == "AddSettings" && service.AddSettingsDelay > TimeSpan.Zero)
                await Task.Delay(service.AddSettingsDelay);
            service.Handle(context);
        }
    }
}
