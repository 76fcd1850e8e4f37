using MeterBridge.Items;
using System.Runtime.CompilerServices;
using Tmds.DBus.Protocol;

namespace MeterBridge.DBus;

/// <summary>
/// One meter as a Venus OS BusItem service: its own D-Bus connection, the root <c>/</c>, every node
/// and every present row of the <see cref="ItemTable"/> as objects, and the ItemsChanged signal.
/// <para>
/// Threads: method calls arrive on the connection's thread while the owner publishes from its own.
/// Whoever changes <see cref="Table"/> holds <see cref="Gate"/> (<c>lock (service.Gate)</c>);
/// <see cref="PublishChanges"/> takes it itself.
/// </para>
/// </summary>
internal sealed partial class BusItemService : IAsyncDisposable
{
    private readonly string? _busAddress;
    private readonly ItemWriter _writer;
    private readonly bool _propertiesChanged;
    private BusObjectTree _tree;
    private readonly TaskCompletionSource<Exception> _connectionLost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DBusConnection? _connection;
    private bool _closing;
    private string _serviceName;

    /// <param name="table">The values; its present rows are the paths that exist.</param>
    /// <param name="serviceName">e.g. <c>com.victronenergy.grid.mqtt_grid_30</c>.</param>
    /// <param name="busAddress">A D-Bus address, or null for the system bus.</param>
    /// <param name="writer">Decides SetValue on writable rows; when null, every row answers 1 (not writable).</param>
    /// <param name="propertiesChanged">Also send a PropertiesChanged on each changed leaf, for old consumers.</param>
    public BusItemService(ItemTable table, string serviceName, string? busAddress, ItemWriter? writer = null, bool propertiesChanged = false)
    {
        Table = table;
        _serviceName = serviceName;
        _busAddress = busAddress;
        _writer = writer ?? NotWritable;
        _propertiesChanged = propertiesChanged;
        _tree = new BusObjectTree(table.Defs);
    }

    public ItemTable Table { get; private set; }

    /// <summary>
    /// Serves <paramref name="table"/> from now on: a table with more rows (the app's control service, whose per-meter
    /// rows come with its meters), carrying the old one's values. Its changes are published at once.
    /// </summary>
    public void ReplaceTable(ItemTable table)
    {
        lock (Gate)
        {
            Table = table;
            _tree = new BusObjectTree(table.Defs);
            PublishChangesLocked();
        }
    }

    private static int NotWritable(ItemTable table, int row, in BusValue requested) => SetValueResult.NotWritable;

    /// <summary>Held while the table is read or changed. Cheap when nobody else holds it.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The well-known name. Settable only while not registered: a service is never renamed on the bus.</summary>
    public string ServiceName
    {
        get => _serviceName;
        set
        {
            if (IsRegistered) throw new InvalidOperationException("Unregister before renaming the service");
            _serviceName = value;
        }
    }

    public bool IsRegistered => _connection is not null;

    /// <summary>
    /// Completes with the reason when a registered connection drops without <see cref="UnregisterAsync"/>
    /// (the bus daemon went away). Never completes otherwise.
    /// </summary>
    public Task<Exception> ConnectionLost => _connectionLost.Task;

    /// <summary>
    /// Connects, exports every object, and only then requests the name (DO_NOT_QUEUE), so a client that
    /// scans on NameOwnerChanged sees the whole table. Fill the table first.
    /// </summary>
    /// <exception cref="BusNameTakenException">Another connection owns the name.</exception>
    public async Task RegisterAsync()
    {
        if (IsRegistered) throw new InvalidOperationException("Already registered");
        string address = _busAddress ?? DBusAddress.System
            ?? throw new InvalidOperationException("No D-Bus system bus address");
        var connection = new DBusConnection(new DBusConnectionOptions(address) { AutoConnect = false });
        try
        {
            await connection.ConnectAsync().ConfigureAwait(false);
            connection.AddMethodHandler(new MethodHandler(this));
            lock (Gate)
            {
                // Before the name: a SetValue from an early client can already publish.
                _closing = false;
                _connection = connection;
            }
            bool owner = await connection.TryRequestNameAsync(_serviceName, RequestNameOptions.None).ConfigureAwait(false);
            await LeaveReceiveLoop();
            if (!owner) throw new BusNameTakenException(_serviceName);
        }
        catch
        {
            lock (Gate) _connection = null;
            connection.Dispose();
            throw;
        }
        _ = WatchAsync(connection);
    }

    /// <summary>Releases the name and closes the connection; <see cref="RegisterAsync"/> works again afterwards.</summary>
    public async Task UnregisterAsync()
    {
        DBusConnection? connection;
        lock (Gate)
        {
            connection = _connection;
            _connection = null;
            _closing = true;
        }
        if (connection is null) return;
        try
        {
            await connection.ReleaseNameAsync(_serviceName).ConfigureAwait(false);
            await LeaveReceiveLoop();
        }
        catch (DBusExceptionBase)
        {
            // The connection is already gone: the name went with it.
        }
        finally
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// A bus reply completes its task on the connection's receive loop, and the caller's code after
    /// <c>await RegisterAsync()</c> would run right there: a caller that then blocks (a test waiting for
    /// gdbus, a hot loop) starves every incoming method call. Hop to the thread pool first.
    /// </summary>
    private static YieldAwaitable LeaveReceiveLoop() => Task.Yield();

    public ValueTask DisposeAsync() => new(UnregisterAsync());

    private async Task WatchAsync(DBusConnection connection)
    {
        Exception? reason = await connection.DisconnectedAsync().ConfigureAwait(false);
        lock (Gate)
        {
            if (_closing || !ReferenceEquals(_connection, connection)) return;
            _connection = null;
        }
        connection.Dispose();
        _connectionLost.TrySetResult(reason ?? new DBusConnectionClosedException("D-Bus connection closed"));
    }
}
