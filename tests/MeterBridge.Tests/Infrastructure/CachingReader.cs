using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Tmds.DBus.Protocol;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// A reader of meter services that works as Victron's readers do (velib's dbusmonitor under systemcalc, dbus-flashmq):
/// when NameOwnerChanged gives a <c>com.victronenergy.*</c> name an owner it scans the service once with GetItems, then
/// only applies each ItemsChanged the service sends (an empty-array value is invalid); a service that leaves is forgotten.
/// Nothing is ever read again.
/// <para>
/// Every message is parsed on the connection's receive loop and queued in arrival order; the test thread works the queue
/// (<see cref="Pump"/>). Signals that come while a scan is pending are applied after its answer, as they are behind
/// dbusmonitor's blocking GetItems. <see cref="Verify"/> asks GetItems again, and its answer is queued behind every signal
/// sent before it: the comparison is exact at one instant of the bus, whatever is in flight.
/// </para>
/// </summary>
public sealed class CachingReader : IDisposable
{
    public const string Prefix = "com.victronenergy.";

    /// <summary>One path as a reader holds it: the value (type and content, "invalid" for an empty array) and the text.</summary>
    public readonly record struct Item(string Value, string Text)
    {
        public bool IsValid => Value != Invalid;
    }

    public const string Invalid = "invalid";

    private abstract record Event;
    private sealed record OwnerChanged(string Name, string OldOwner, string NewOwner) : Event;
    private sealed record ItemsChanged(string Sender, Dictionary<string, Item> Items) : Event;
    private sealed record Answer(string Name, int Token, bool Scan, Dictionary<string, Item>? Items, string? Error) : Event;

    private readonly DBusConnection _connection;
    private readonly BlockingCollection<Event> _queue = [];
    private readonly Dictionary<string, string> _serviceOf = [];                     // unique name → service name
    private readonly Dictionary<string, Dictionary<string, Item>> _cache = [];        // service name → path → item
    private readonly Dictionary<string, (int Token, List<ItemsChanged> Held)> _scans = [];
    private readonly Dictionary<int, List<string>?> _checks = [];  // token → differences at the answer's place (null: retry)
    private int _nextToken;

    private CachingReader(DBusConnection connection) => _connection = connection;

    /// <summary>Connects and subscribes; services already on the bus are not scanned (start it before the bridge).</summary>
    public static CachingReader Start(string address)
    {
        var connection = new DBusConnection(address);
        connection.ConnectAsync().AsTask().GetAwaiter().GetResult();
        var reader = new CachingReader(connection);
        connection.AddMatchAsync(
            new MatchRule { Type = MessageType.Signal, Sender = "org.freedesktop.DBus", Interface = "org.freedesktop.DBus", Member = "NameOwnerChanged" },
            static (message, _) => ReadOwnerChanged(message),
            static notification => { if (notification is { HasValue: true, Value: { } e }) ((CachingReader)notification.State!)._queue.Add(e); },
            emitOnCapturedContext: false, ObserverFlags.None, reader).AsTask().GetAwaiter().GetResult();
        connection.AddMatchAsync(
            new MatchRule { Type = MessageType.Signal, Interface = "com.victronenergy.BusItem", Member = "ItemsChanged", Path = "/" },
            static (message, _) => new ItemsChanged(message.SenderAsString ?? "", ReadItems(message)),
            static notification => { if (notification.HasValue) ((CachingReader)notification.State!)._queue.Add(notification.Value); },
            emitOnCapturedContext: false, ObserverFlags.None, reader).AsTask().GetAwaiter().GetResult();
        return reader;
    }

    /// <summary>ItemsChanged applied to a scanned service.</summary>
    public int SignalsApplied { get; private set; }

    /// <summary>Scans answered (a service appeared and was read).</summary>
    public int Scans { get; private set; }

    /// <summary>Services forgotten because their name lost its owner.</summary>
    public int Departures { get; private set; }

    /// <summary>Paths an applied ItemsChanged turned from a value into invalid.</summary>
    public int Invalidations { get; private set; }

    /// <summary>Anything that changed the cache: an applied signal, a scan, a departure.</summary>
    public int Events => SignalsApplied + Scans + Departures;

    /// <summary>The services the reader holds (scanned, not departed).</summary>
    public IReadOnlyCollection<string> Services => _cache.Keys;

    public bool IsScanning => _scans.Count > 0;

    /// <summary>What the reader holds for a service; null when it holds none.</summary>
    public IReadOnlyDictionary<string, Item>? Held(string service) => _cache.GetValueOrDefault(service);

    /// <summary>Works the queue until <paramref name="done"/> holds or the time is up; true when it holds.</summary>
    public bool Pump(Func<bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            while (_queue.TryTake(out var queued)) Handle(queued);
            if (done()) return true;
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero) return false;
            if (_queue.TryTake(out var next, left)) Handle(next);
        }
    }

    /// <summary>Works what is queued now, without waiting.</summary>
    public void Drain() => Pump(() => true, TimeSpan.Zero);

    /// <summary>
    /// Compares what the reader holds for each of <paramref name="services"/> with a fresh GetItems (a name without an
    /// owner must be held by nobody). Empty when they agree. A service that appears meanwhile makes it try again.
    /// </summary>
    public List<string> Verify(IReadOnlyList<string> services, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (!Pump(() => !IsScanning, timeout - clock.Elapsed)) return ["a scan did not finish in time"];
            var tokens = services.Select(service => (Service: service, Token: Ask(service, scan: false))).ToList();
            if (!Pump(() => tokens.All(t => _checks.ContainsKey(t.Token)), timeout - clock.Elapsed))
                return ["GetItems did not answer in time"];
            var problems = new List<string>();
            bool retry = false;
            foreach (var (_, token) in tokens)
            {
                if (_checks[token] is { } differences) problems.AddRange(differences);
                else retry = true; // a scan of that service was pending at the answer
                _checks.Remove(token);
            }
            if (!retry) return problems;
        }
    }

    private IEnumerable<string> Compare(string service, Answer answer)
    {
        var held = _cache.GetValueOrDefault(service);
        if (answer.Items is null)
        {
            if (held is not null) yield return $"{service}: GetItems failed ({answer.Error}) but the reader holds {held.Count} paths";
            yield break;
        }
        if (held is null)
        {
            yield return $"{service}: GetItems lists {answer.Items.Count} paths but the reader holds no such service";
            yield break;
        }
        foreach (var (path, item) in answer.Items)
        {
            if (!held.TryGetValue(path, out var mine)) yield return $"{service} {path}: GetItems {item}, the reader has no such path";
            else if (mine != item) yield return $"{service} {path}: GetItems {item}, the reader holds {mine}";
        }
        foreach (var (path, mine) in held)
            if (!answer.Items.ContainsKey(path)) yield return $"{service} {path}: GetItems does not list it, the reader holds {mine}";
    }

    private void Handle(Event queued)
    {
        switch (queued)
        {
            case OwnerChanged change:
                if (change.OldOwner.Length > 0) _serviceOf.Remove(change.OldOwner);
                if (_cache.Remove(change.Name)) Departures++;
                _scans.Remove(change.Name);
                if (change.NewOwner.Length > 0)
                {
                    _serviceOf[change.NewOwner] = change.Name;
                    _scans[change.Name] = (Ask(change.Name, scan: true), []);
                }
                break;
            case ItemsChanged signal:
                if (!_serviceOf.TryGetValue(signal.Sender, out var name)) break; // not a service this reader follows
                if (_scans.TryGetValue(name, out var scan)) scan.Held.Add(signal);
                else if (_cache.TryGetValue(name, out var items)) Apply(items, signal);
                break;
            case Answer { Scan: true } answer:
                if (!_scans.TryGetValue(answer.Name, out var pending) || pending.Token != answer.Token) break; // an older owner's
                _scans.Remove(answer.Name);
                if (answer.Items is null) break; // gone again before it answered: dbusmonitor skips it too
                _cache[answer.Name] = answer.Items;
                Scans++;
                foreach (var held in pending.Held) Apply(answer.Items, held);
                break;
            case Answer check:
                // Compared now, at the answer's place in the stream (later signals are not applied yet); not comparable
                // while a scan of the service is pending.
                _checks[check.Token] = _scans.ContainsKey(check.Name) ? null : [.. Compare(check.Name, check)];
                break;
        }
    }

    private void Apply(Dictionary<string, Item> items, ItemsChanged signal)
    {
        foreach (var (path, item) in signal.Items)
        {
            if (items.TryGetValue(path, out var before) && before.IsValid && !item.IsValid) Invalidations++;
            items[path] = item;
        }
        SignalsApplied++;
    }

    /// <summary>GetItems on the service's root, its answer queued (on the receive loop, in order) under a new token.</summary>
    private int Ask(string service, bool scan)
    {
        int token = ++_nextToken;
        MessageBuffer message;
        MessageWriter writer = _connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(destination: service, path: "/", @interface: "com.victronenergy.BusItem", member: "GetItems");
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
        var call = _connection.CallMethodAsync(message,
            (reply, _) =>
            {
                _queue.Add(new Answer(service, token, scan, ReadItems(reply), null));
                return true;
            });
        // An error answer (the name has no owner) completes the task instead; it came after the NameOwnerChanged that took the owner away.
        call.ContinueWith(task => _queue.Add(new Answer(service, token, scan, null, task.Exception!.InnerException!.Message)),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return token;
    }

    /// <summary>SetValue on a path of a service, as the GUI writes /Role; the answer (0 accepted).</summary>
    public int SetValue(string service, string path, string value)
    {
        MessageBuffer message;
        MessageWriter writer = _connection.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader(destination: service, path: path, @interface: "com.victronenergy.BusItem", member: "SetValue", signature: "v");
            writer.WriteVariantString(value);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }
        return _connection.CallMethodAsync(message, static (reply, _) => reply.GetBodyReader().ReadInt32()).GetAwaiter().GetResult();
    }

    private static Event? ReadOwnerChanged(Message message)
    {
        Reader reader = message.GetBodyReader();
        string name = reader.ReadString();
        string oldOwner = reader.ReadString();
        string newOwner = reader.ReadString();
        return name.StartsWith(Prefix, StringComparison.Ordinal) ? new OwnerChanged(name, oldOwner, newOwner) : null;
    }

    /// <summary>The body of GetItems or ItemsChanged, <c>a{sa{sv}}</c>.</summary>
    private static Dictionary<string, Item> ReadItems(Message message)
    {
        var items = new Dictionary<string, Item>(StringComparer.Ordinal);
        Reader reader = message.GetBodyReader();
        ArrayEnd end = reader.ReadDictionaryStart();
        while (reader.HasNext(end))
        {
            reader.AlignStruct();
            string path = reader.ReadString();
            var properties = reader.ReadDictionaryOfStringToVariantValue();
            items[path] = new Item(
                properties.TryGetValue("Value", out var value) ? Describe(value) : "(no Value)",
                properties.TryGetValue("Text", out var text) ? Describe(text) : "(no Text)");
        }
        return items;
    }

    /// <summary>A value as text with its wire type: <c>d 413</c>, <c>i 1</c>, <c>s grid</c>, <c>av [grid, acload]</c>, invalid.</summary>
    public static string Describe(VariantValue value)
    {
        while (value.Type == VariantValueType.Variant) value = value.GetVariantValue();
        return value.Type switch
        {
            VariantValueType.Double => "d " + value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
            VariantValueType.Int32 => "i " + value.GetInt32().ToString(CultureInfo.InvariantCulture),
            VariantValueType.String => "s " + value.GetString(),
            VariantValueType.Array when value.Count == 0 && value.ItemType == VariantValueType.Int32 => Invalid,
            VariantValueType.Array => $"a{value.ItemType} [" + string.Join(", ", Enumerable.Range(0, value.Count).Select(i => Describe(value.GetItem(i)))) + "]",
            _ => value.Type + " " + value,
        };
    }

    public void Dispose()
    {
        _connection.Dispose();
        _queue.Dispose();
    }
}
