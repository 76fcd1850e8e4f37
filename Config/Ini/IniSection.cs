namespace MeterBridge.Config.Ini;

/// <summary>One <c>[section]</c> of an ini file with its own keys in file order (not the ones seen through DEFAULT).</summary>
internal sealed class IniSection(string name, int line)
{
    private readonly Dictionary<string, IniEntry> _byKey = new(StringComparer.Ordinal);
    private readonly List<IniEntry> _entries = [];

    public string Name { get; } = name;
    /// <summary>The line of the header; 0 for a DEFAULT section the file does not have.</summary>
    public int Line { get; } = line;
    public IReadOnlyList<IniEntry> Entries => _entries;

    public bool TryGet(string key, out IniEntry entry) => _byKey.TryGetValue(key, out entry!);

    internal bool Contains(string key) => _byKey.ContainsKey(key);

    internal void Set(IniEntry entry)
    {
        if (_byKey.TryGetValue(entry.Key, out IniEntry? old))
            _entries[_entries.IndexOf(old)] = entry;
        else
            _entries.Add(entry);
        _byKey[entry.Key] = entry;
    }
}

/// <summary>One <c>key = value</c> of an ini file: the key lower-cased, the raw value (continuation lines joined
/// with '\n', not yet interpolated) and the line the key was on, for messages.</summary>
internal sealed record IniEntry(string Section, string Key, string RawValue, int Line);
