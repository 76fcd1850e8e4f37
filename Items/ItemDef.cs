namespace MeterBridge.Items;

/// <summary>One row of the path table: the D-Bus path, how its text looks, and whether clients may write it.</summary>
internal sealed record ItemDef(string Path, TextFormat Format, bool Writable = false);
