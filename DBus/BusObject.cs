using MeterBridge.Items;

namespace MeterBridge.DBus;

/// <summary>
/// One D-Bus object of the service: the root <c>/</c>, an intermediate node (<c>/Ac/L1</c>) or a leaf
/// (<c>/Ac/L1/Power</c>, which is one row of the item table).
/// </summary>
internal sealed class BusObject(string path, int row)
{
    private readonly List<BusObject> _children = [];
    private readonly List<int> _rows = row >= 0 ? [row] : [];

    public string Path { get; } = path;

    /// <summary>The last path segment, as a parent's introspection names it.</summary>
    public string Name { get; } = path == "/" ? "" : path[(path.LastIndexOf('/') + 1)..];

    /// <summary>The table row of a leaf (which may have children too); -1 for the root and plain nodes.</summary>
    public int Row { get; private set; } = row;

    public bool IsLeaf => Row >= 0;

    public bool IsRoot => Path == "/";

    public IReadOnlyList<BusObject> Children => _children;

    /// <summary>Every leaf row at or below this object, in table order.</summary>
    public IReadOnlyList<int> Rows => _rows;

    /// <summary>How many characters of a leaf path a relative key (<c>L1/Power</c> from <c>/Ac</c>) skips.</summary>
    public int KeyOffset => IsRoot ? 1 : Path.Length + 1;

    /// <summary>The root always exists; a leaf when its row is present; a node when a leaf below it is.</summary>
    public bool Exists(ItemTable table)
    {
        if (IsRoot) return true;
        foreach (int row in _rows)
            if (table.IsPresent(row)) return true;
        return false;
    }

    internal void AddChild(BusObject child) => _children.Add(child);

    internal void AddRow(int row) => _rows.Add(row);

    /// <summary>A node that is a leaf too (its children came first in the table): its own row first.</summary>
    internal void MakeLeaf(int row)
    {
        Row = row;
        _rows.Insert(0, row);
    }
}
