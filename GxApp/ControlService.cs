using MeterBridge.DBus;
using MeterBridge.Items;
using MeterBridge.Setup;

namespace MeterBridge.GxApp;

/// <summary>
/// <c>com.victronenergy.meterbridge</c>: the app's state on D-Bus (always there, meters or not) and the writes that drive it,
/// served by a <see cref="BusItemService"/> like a meter. Every change is one ItemsChanged; nothing is sent while nothing
/// changes. A SetValue is answered on the connection's thread from what the service knows (is N a meter, is there a
/// result k) and handed to the app as a <see cref="ControlRequest"/>; the app does the work on its own loop.
/// A meter's rows come with it and, when it goes, stay invalid until the service registers anew (ItemTable's rule:
/// readers that scanned them must hear that they have no value).
/// </summary>
internal sealed class ControlService : IAsyncDisposable
{
    public const string Name = "com.victronenergy.meterbridge";

    private readonly BusItemService _service;
    private readonly Action<ControlRequest> _request;
    private readonly List<int> _rowsOf = []; // the meters that have rows, in row order
    private SortedSet<int> _meters = [];
    private int _results;

    public ControlService(string? busAddress, Action<ControlRequest> request)
    {
        _request = request;
        var table = new ItemTable(ControlPaths.With([]));
        table.Set(ControlPaths.ProcessName, BusValue.Of(Environment.ProcessPath ?? "meterbridge"));
        table.Set(ControlPaths.ProcessVersion, BusValue.Of(Identity.Version));
        table.Set(ControlPaths.Connection, BusValue.Of("MeterBridge app"));
        table.Set(ControlPaths.ProductName, BusValue.Of("MeterBridge"));
        table.Set(ControlPaths.DeviceInstance, BusValue.Of(0));
        table.Set(ControlPaths.Connected, BusValue.Of(1));
        table.Set(ControlPaths.MeterList, BusValue.Of(""));
        foreach (int row in (int[])[ControlPaths.Add, ControlPaths.Remove, ControlPaths.DetectStart, ControlPaths.DetectApply])
            table.Set(row, BusValue.Of(ControlPaths.NoRequest));
        table.Set(ControlPaths.DetectStop, BusValue.Of(0));
        table.Set(ControlPaths.DetectState, BusValue.Of("idle"));
        table.Set(ControlPaths.DetectMeter, BusValue.Of(-1));
        table.Set(ControlPaths.DetectSecondsLeft, BusValue.Of(0));
        table.Set(ControlPaths.DetectError, BusValue.Of(""));
        table.Set(ControlPaths.DetectResult, BusValue.Of("[]"));
        _service = new BusItemService(table, Name, busAddress, Write);
    }

    public Task<Exception> ConnectionLost => _service.ConnectionLost;

    /// <summary>Takes the name, every path there; <see cref="BusNameTakenException"/> when another app has it.</summary>
    public Task RegisterAsync() => _service.RegisterAsync();

    public Task UnregisterAsync() => _service.UnregisterAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    /// <summary>The meters now: <c>/Meters</c>, a new meter's rows (<c>waiting</c>), a gone one's rows withdrawn.</summary>
    public void SetMeters(SortedSet<int> meters)
    {
        lock (_service.Gate)
        {
            var added = new List<int>();
            foreach (int n in meters)
                if (!_rowsOf.Contains(n)) added.Add(n);
            if (added.Count > 0)
            {
                ItemTable old = _service.Table;
                _rowsOf.AddRange(added);
                var table = new ItemTable(ControlPaths.With(_rowsOf));
                for (int row = 0; row < old.Count; row++)
                {
                    if (!old.IsPresent(row)) continue;
                    table.Set(row, old[row]);
                    if (old.IsWithdrawn(row)) table.Withdraw(row);
                }
                table.AcceptChanges();
                _service.ReplaceTable(table);
            }
            ItemTable now = _service.Table;
            foreach (int gone in _meters)
                if (!meters.Contains(gone))
                    for (int field = 0; field < ControlPaths.PerMeter; field++) now.Withdraw(RowOf(gone, field));
            foreach (int n in meters)
            {
                if (_meters.Contains(n)) continue;
                now.Set(RowOf(n, ControlPaths.State), BusValue.Of("waiting"));
                now.Set(RowOf(n, ControlPaths.Reason), BusValue.Of(""));
                now.Set(RowOf(n, ControlPaths.Service), BusValue.Of(""));
            }
            _meters = [.. meters];
            now.Set(ControlPaths.MeterList, BusValue.Of(MeterSettings.ListText(_meters)));
        }
        _service.PublishChanges();
    }

    public void SetMeter(int meter, string state, string reason, string service)
    {
        lock (_service.Gate)
        {
            if (!_meters.Contains(meter)) return;
            ItemTable table = _service.Table;
            table.Set(RowOf(meter, ControlPaths.State), BusValue.Of(state));
            table.Set(RowOf(meter, ControlPaths.Reason), BusValue.Of(reason));
            table.Set(RowOf(meter, ControlPaths.Service), BusValue.Of(service));
        }
        _service.PublishChanges();
    }

    /// <summary>The detect's paths; <paramref name="results"/> is how many results <c>/Detect/Apply</c> may choose from.</summary>
    public void SetDetect(string state, int meter, int secondsLeft, string error, string result, int results)
    {
        lock (_service.Gate)
        {
            ItemTable table = _service.Table;
            table.Set(ControlPaths.DetectState, BusValue.Of(state));
            table.Set(ControlPaths.DetectMeter, BusValue.Of(meter));
            table.Set(ControlPaths.DetectSecondsLeft, BusValue.Of(secondsLeft));
            table.Set(ControlPaths.DetectError, BusValue.Of(error));
            table.Set(ControlPaths.DetectResult, BusValue.Of(result));
            _results = results;
        }
        _service.PublishChanges();
    }

    public void SetSecondsLeft(int seconds)
    {
        lock (_service.Gate) _service.Table.Set(ControlPaths.DetectSecondsLeft, BusValue.Of(seconds));
        _service.PublishChanges();
    }

    private int RowOf(int meter, int field) => ControlPaths.Fixed.Length + ControlPaths.PerMeter * _rowsOf.IndexOf(meter) + field;

    /// <summary>Under the gate, on the connection's thread: docs/dbus.md's answers (0 taken, 1 not an int, 2 refused).</summary>
    private int Write(ItemTable table, int row, in BusValue requested)
    {
        if (requested.Type != BusType.Int32) return SetValueResult.NotWritable;
        int value = requested.AsInt32;
        bool ok = row switch
        {
            ControlPaths.Add => value >= 0 && !_meters.Contains(value),
            ControlPaths.Remove or ControlPaths.DetectStart => _meters.Contains(value),
            ControlPaths.DetectStop => value == 1,
            ControlPaths.DetectApply => value >= 0 && value < _results && table[ControlPaths.DetectMeter].AsInt32 >= 0,
            _ => false,
        };
        if (!ok) return SetValueResult.Rejected;
        _request(new ControlRequest(row, value));
        return SetValueResult.Accepted; // the value is not stored: the path reads as before, and the next write reaches us too
    }
}
