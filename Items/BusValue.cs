namespace MeterBridge.Items;

/// <summary>
/// One D-Bus item value. Numbers live in <see cref="Number"/> (an Int32 is a whole double),
/// strings and lists in <see cref="Reference"/>. Equality is what the diff uses.
/// </summary>
internal readonly record struct BusValue(BusType Type, double Number = 0, object? Reference = null)
{
    public static readonly BusValue Invalid = default;

    public static BusValue Of(double value) => double.IsNaN(value) ? Invalid : new(BusType.Double, value);

    public static BusValue Of(int value) => new(BusType.Int32, value);

    public static BusValue Of(string value) => new(BusType.String, 0, value);

    public static BusValue Of(string[] values) => new(BusType.StringList, 0, values);

    public bool IsValid => Type != BusType.Invalid;

    public int AsInt32 => (int)Number;

    public string AsString => Reference as string ?? "";

    public string[] AsStringList => Reference as string[] ?? [];
}
