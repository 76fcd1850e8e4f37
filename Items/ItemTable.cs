namespace MeterBridge.Items;

/// <summary>
/// The values a meter service publishes, one slot per row of <see cref="MeterPaths.All"/>, and the
/// rows that changed since the last signal. Setting an equal value is not a change, so a signal
/// carries only what a client has not seen. Pure data: the D-Bus layer reads it.
/// <para>
/// A row is present (a path on the bus) from its first value on. Victron's readers (velib's dbusmonitor,
/// dbus-flashmq) scan a service once and then only apply ItemsChanged, so a present row is never taken off
/// while the service is on the bus: a row that loses its value is <see cref="Withdraw">withdrawn</see>,
/// i.e. becomes invalid in the next signal, and goes only with a new registration (<see cref="DropWithdrawn"/>).
/// </para>
/// </summary>
internal sealed class ItemTable
{
    private readonly BusValue[] _values;
    private readonly bool[] _present;
    private readonly bool[] _withdrawn;
    private readonly bool[] _changed;
    private readonly int[] _changedRows;
    private int _changedCount;

    public ItemTable(IReadOnlyList<ItemDef>? defs = null)
    {
        Defs = defs ?? MeterPaths.All;
        _values = new BusValue[Defs.Count];
        _present = new bool[Defs.Count];
        _withdrawn = new bool[Defs.Count];
        _changed = new bool[Defs.Count];
        _changedRows = new int[Defs.Count];
    }

    public IReadOnlyList<ItemDef> Defs { get; }

    public int Count => Defs.Count;

    public bool IsPresent(int row) => _present[row];

    /// <summary>Present, but without a value of its own since <see cref="Withdraw"/>: shown invalid until set again.</summary>
    public bool IsWithdrawn(int row) => _withdrawn[row];

    public BusValue this[int row] => _values[row];

    /// <summary>Rows changed since <see cref="AcceptChanges"/>, in the order they changed.</summary>
    public ReadOnlySpan<int> Changed => _changedRows.AsSpan(0, _changedCount);

    public void Set(int row, BusValue value)
    {
        _withdrawn[row] = false;
        if (_present[row] && _values[row] == value) return;
        _present[row] = true;
        _values[row] = value;
        if (_changed[row]) return;
        _changed[row] = true;
        _changedRows[_changedCount++] = row;
    }

    /// <summary>
    /// The row has no value any more (the L1 mirror ended, the role has no /Position). A present row stays and turns
    /// invalid, as a change the next ItemsChanged carries: readers that scanned it must hear that it has no value.
    /// A row never present stays absent. Allocation-free, for the hot loop.
    /// </summary>
    public void Withdraw(int row)
    {
        if (!_present[row]) return;
        Set(row, BusValue.Invalid);
        _withdrawn[row] = true;
    }

    /// <summary>
    /// Before the service takes its name (anew): withdrawn rows go, since every reader scans a newly registered
    /// service from scratch. Never while registered.
    /// </summary>
    public void DropWithdrawn()
    {
        for (int row = 0; row < Defs.Count; row++)
        {
            if (!_withdrawn[row]) continue;
            _withdrawn[row] = false;
            _present[row] = false;
            _values[row] = BusValue.Invalid;
        }
    }

    public void AcceptChanges()
    {
        foreach (int row in Changed) _changed[row] = false;
        _changedCount = 0;
    }

    public int Find(string path)
    {
        for (int row = 0; row < Defs.Count; row++)
            if (Defs[row].Path == path) return row;
        return -1;
    }
}
