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
                node.AddRow(row);
                parent = node;
            }
            // A leaf may also be a node, as velib allows (the app's /Meters beside /Meters/Add): its own value answers
            // GetValue, and it lists its children. A path listed twice is a mistake.
            if (_byPath.TryGetValue(path, out var existing))
            {
                if (existing.IsLeaf) throw new ArgumentException($"Path {path} is listed twice", nameof(defs));
                existing.MakeLeaf(row);
            }
            else
            {
                var leaf = new BusObject(path, row);
                _byPath.Add(path, leaf);
                parent.AddChild(leaf);
            }
        }
    }

    public BusObject Root { get; }

    public BusObject? Find(string path) => _byPath.GetValueOrDefault(path);
}
