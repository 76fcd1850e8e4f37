using MeterBridge.Items;

namespace MeterBridge.DBus;

/// <summary>The writers the bridge ships with; the lead composes them with its own (e.g. for /Role).</summary>
public static class ItemWriters
{
    /// <summary>The longest custom name the GUI lets a user type.</summary>
    public const int CustomNameMaxLength = 32;

    /// <summary>/CustomName: a string of at most 32 characters is stored (0); longer is rejected (2); not a string is 1.</summary>
    public static int CustomName(ItemTable table, int row, in BusValue requested)
    {
        if (requested.Type != BusType.String) return SetValueResult.NotWritable;
        if (requested.AsString.Length > CustomNameMaxLength) return SetValueResult.Rejected;
        table.Set(row, requested);
        return SetValueResult.Accepted;
    }

    /// <summary>Handles /CustomName; any other writable row answers 1 until the owner supplies a writer for it.</summary>
    public static int Default(ItemTable table, int row, in BusValue requested) =>
        row == MeterPaths.CustomName ? CustomName(table, row, requested) : SetValueResult.NotWritable;
}
