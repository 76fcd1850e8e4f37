using MeterBridge.Items;
using Tmds.DBus.Protocol;

namespace MeterBridge.DBus;

/// <summary>Turns the variant a client passed to <c>SetValue</c> into a <see cref="BusValue"/>, the way velib unwraps it.</summary>
internal static class BusValueReader
{
    /// <summary>The value, or null for a type no item can hold (structs, dictionaries, nested lists).</summary>
    public static BusValue? ToBusValue(VariantValue variant)
    {
        while (variant.Type == VariantValueType.Variant) variant = variant.GetVariantValue();
        return variant.Type switch
        {
            VariantValueType.String => BusValue.Of(variant.GetString()),
            VariantValueType.Double => BusValue.Of(variant.GetDouble()),
            VariantValueType.Int32 => BusValue.Of(variant.GetInt32()),
            VariantValueType.Int16 => BusValue.Of(variant.GetInt16()),
            VariantValueType.UInt16 => BusValue.Of(variant.GetUInt16()),
            VariantValueType.Byte => BusValue.Of(variant.GetByte()),
            VariantValueType.Bool => BusValue.Of(variant.GetBool() ? 1 : 0),
            VariantValueType.UInt32 => Whole(variant.GetUInt32()),
            VariantValueType.Int64 => Whole(variant.GetInt64()),
            VariantValueType.UInt64 => Whole(variant.GetUInt64()),
            VariantValueType.Array => FromArray(variant),
            _ => null,
        };
    }

    private static BusValue Whole(double value) =>
        value is >= int.MinValue and <= int.MaxValue ? BusValue.Of((int)value) : BusValue.Of(value);

    /// <summary>velib: an empty array is invalid; a list of strings (<c>as</c> or <c>av</c>) is a list.</summary>
    private static BusValue? FromArray(VariantValue array)
    {
        if (array.Count == 0) return BusValue.Invalid;
        var items = new string[array.Count];
        for (int i = 0; i < items.Length; i++)
        {
            var item = array.GetItem(i);
            while (item.Type == VariantValueType.Variant) item = item.GetVariantValue();
            if (item.Type != VariantValueType.String) return null;
            items[i] = item.GetString();
        }
        return BusValue.Of(items);
    }
}
