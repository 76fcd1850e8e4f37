using MeterBridge.Items;

namespace MeterBridge.DBus;

/// <summary>
/// Every object the service can export, built once from the table's rows: the root, each node on the
/// way to a leaf, each leaf. Which of them exist at a moment is decided by the table's presence, so a
/// phase that appears later needs no new registration with the connection.
/// </summary>
internal sealed class BusObjectTree
{
    private readonly Dictionary<string, BusObject> _byPath = new(StringComparer.Ordinal);

    public BusObjectTree(IReadOnlyList<ItemDef> defs)
    {
        Root = new BusObject("/", -1);
        _byPath.Add("/", Root);
        for (int row = 0; row < defs.Count; row++)
        {
            string path = defs[row].Path;
            var leaf = new BusObject(path, row);
            if (!_byPath.TryAdd(path, leaf))
                throw new ArgumentException($"Path {path} is both a leaf and a node, or listed twice", nameof(defs));
            Root.AddRow(row);
            var parent = Root;
            for (int slash = path.IndexOf('/', 1); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                string nodePath = path[..slash];
                if (!_byPath.TryGetValue(nodePath, out var node))
                {
                    node = new BusObject(nodePath, -1);
                    _byPath.Add(nodePath, node);
                    parent.AddChild(node);
                }
                else if (node.IsLeaf)
                {
                    throw new ArgumentException($"Path {nodePath} is both a leaf and a node", nameof(defs));
                }
                node.AddRow(row);
                parent = node;
            }
            parent.AddChild(leaf);
        }
    }

    public BusObject Root { get; }

    public BusObject? Find(string path) => _byPath.GetValueOrDefault(path);
}
