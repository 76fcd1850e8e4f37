namespace MeterBridge.Items;

/// <summary>
/// The values a meter service publishes, one slot per row of <see cref="MeterPaths.All"/>, and the
/// rows that changed since the last signal. Setting an equal value is not a change, so a signal
/// carries only what a client has not seen. Pure data: the D-Bus layer reads it.
/// </summary>
public sealed class ItemTable
{
    private readonly BusValue[] _values;
    private readonly bool[] _present;
    private readonly bool[] _changed;
    private readonly int[] _changedRows;
    private int _changedCount;

    public ItemTable(IReadOnlyList<ItemDef>? defs = null)
    {
        Defs = defs ?? MeterPaths.All;
        _values = new BusValue[Defs.Count];
        _present = new bool[Defs.Count];
        _changed = new bool[Defs.Count];
        _changedRows = new int[Defs.Count];
    }

    public IReadOnlyList<ItemDef> Defs { get; }

    public int Count => Defs.Count;

    public bool IsPresent(int row) => _present[row];

    public BusValue this[int row] => _values[row];

    /// <summary>Rows changed since <see cref="AcceptChanges"/>, in the order they changed.</summary>
    public ReadOnlySpan<int> Changed => _changedRows.AsSpan(0, _changedCount);

    public void Set(int row, BusValue value)
    {
        if (_present[row] && _values[row] == value) return;
        _present[row] = true;
        _values[row] = value;
        if (_changed[row]) return;
        _changed[row] = true;
        _changedRows[_changedCount++] = row;
    }

    /// <summary>Takes a row off the service. Removal is not signalled (velib has no way to); only a re-registration tells clients.</summary>
    public void Remove(int row)
    {
        _present[row] = false;
        _values[row] = BusValue.Invalid;
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
