using MeterBridge.Items;
using Tmds.DBus.Protocol;

namespace MeterBridge.DBus;

/// <summary>
/// Writes item values the way velib puts them on the wire: <c>d</c>, <c>i</c>, <c>s</c>, a list as
/// <c>av</c> (empty: <c>au</c>), invalid as an empty <c>ai</c>. Numbers and texts go straight into the
/// pooled message buffer, so a signal allocates nothing.
/// </summary>
internal static class BusWire
{
    /// <summary>A variant holding <paramref name="value"/>.</summary>
    public static void WriteValue(ref MessageWriter writer, in BusValue value)
    {
        switch (value.Type)
        {
            case BusType.Double:
                writer.WriteVariantDouble(value.Number);
                break;
            case BusType.Int32:
                writer.WriteVariantInt32(value.AsInt32);
                break;
            case BusType.String:
                writer.WriteVariantString(value.AsString);
                break;
            case BusType.StringList:
                WriteStringList(ref writer, value.AsStringList);
                break;
            default:
                writer.WriteSignature("ai"u8);
                writer.WriteArrayEnd(writer.WriteArrayStart(DBusType.Int32));
                break;
        }
    }

    /// <summary>A variant holding the item's text; numbers are formatted on the stack.</summary>
    public static void WriteTextVariant(ref MessageWriter writer, in BusValue value, TextFormat format)
    {
        writer.WriteSignature("s"u8);
        WriteText(ref writer, value, format);
    }

    /// <summary>The item's text as a plain <c>s</c>.</summary>
    public static void WriteText(ref MessageWriter writer, in BusValue value, TextFormat format)
    {
        if (value.Type == BusType.String)
        {
            writer.WriteString(value.AsString);
            return;
        }
        if (value.Type == BusType.StringList)
        {
            writer.WriteString(ItemText.ToString(value, format));
            return;
        }
        Span<char> text = stackalloc char[ItemText.MaxNumberLength];
        writer.WriteString(text[..ItemText.Write(value, format, text)]);
    }

    /// <summary>The <c>{"Value": v, "Text": v(s)}</c> dictionary of one item.</summary>
    public static void WriteItemProperties(ref MessageWriter writer, in BusValue value, TextFormat format)
    {
        ArrayStart properties = writer.WriteDictionaryStart();
        writer.WriteDictionaryEntryStart();
        writer.WriteString("Value"u8);
        WriteValue(ref writer, value);
        writer.WriteDictionaryEntryStart();
        writer.WriteString("Text"u8);
        WriteTextVariant(ref writer, value, format);
        writer.WriteDictionaryEnd(properties);
    }

    /// <summary>One <c>{path: {"Value": v, "Text": v(s)}}</c> entry of GetItems or ItemsChanged.</summary>
    public static void WriteItemEntry(ref MessageWriter writer, string path, in BusValue value, TextFormat format)
    {
        writer.WriteDictionaryEntryStart();
        writer.WriteString(path);
        WriteItemProperties(ref writer, value, format);
    }

    private static void WriteStringList(ref MessageWriter writer, string[] items)
    {
        if (items.Length == 0)
        {
            writer.WriteSignature("au"u8);
            writer.WriteArrayEnd(writer.WriteArrayStart(DBusType.UInt32));
            return;
        }
        writer.WriteSignature("av"u8);
        ArrayStart array = writer.WriteArrayStart(DBusType.Variant);
        foreach (string item in items) writer.WriteVariantString(item);
        writer.WriteArrayEnd(array);
    }
}
