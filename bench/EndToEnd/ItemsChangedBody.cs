using Tmds.DBus.Protocol;

namespace MeterBridge.Bench.EndToEnd;

/// <summary>Reads an ItemsChanged signal's body (a{sa{sv}}); the tests compile this file too, to time signals the same way.</summary>
public static class ItemsChangedBody
{
    /// <summary>The /Ac/Power value, NaN when absent or invalid.</summary>
    public static double AcPower(Message message)
    {
        Reader reader = message.GetBodyReader();
        ArrayEnd items = reader.ReadDictionaryStart();
        while (reader.HasNext(items))
        {
            reader.AlignStruct();
            string path = reader.ReadString();
            var properties = reader.ReadDictionaryOfStringToVariantValue();
            if (path == "/Ac/Power" && properties.TryGetValue("Value", out var value) && value.Type == VariantValueType.Double)
                return value.GetDouble();
        }
        return double.NaN;
    }
}
