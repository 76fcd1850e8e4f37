using System.Buffers.Binary;
using System.Text;

namespace MeterBridge.Tests.Gui;

/// <summary>
/// Lists the files in an rcc binary (what <c>rcc -binary</c> writes and QResource::registerResource reads): the header
/// "qres", version, tree, data and names offsets; tree nodes of 14 bytes (version 1) or 22 (2 and 3, with a
/// modification time); names as a length, a hash and UTF-16BE. Qt's rcc has no option that lists a binary.
/// </summary>
public static class RccReader
{
    public static List<string> Files(byte[] rcc)
    {
        if (rcc.Length < 20 || Encoding.ASCII.GetString(rcc, 0, 4) != "qres")
            throw new InvalidDataException("not an rcc binary (no \"qres\" magic)");
        var version = BigEndian(rcc, 4);
        var tree = BigEndian(rcc, 8);
        var names = BigEndian(rcc, 16);
        var nodeSize = version >= 2 ? 22 : 14;
        var files = new List<string>();
        Walk(0, "");
        return files;

        void Walk(int node, string path)
        {
            var at = tree + node * nodeSize;
            var name = node == 0 ? "" : Name(BigEndian(rcc, at));
            var flags = BinaryPrimitives.ReadUInt16BigEndian(rcc.AsSpan(at + 4));
            var full = node == 0 ? "" : path + "/" + name;
            if ((flags & 0x02) != 0)   // a directory: child count, first child
            {
                var count = BigEndian(rcc, at + 6);
                var first = BigEndian(rcc, at + 10);
                for (var i = 0; i < count; i++) Walk(first + i, full);
            }
            else
            {
                files.Add(full);
            }
        }

        string Name(int offset)
        {
            var at = names + offset;
            var length = BinaryPrimitives.ReadUInt16BigEndian(rcc.AsSpan(at));
            return Encoding.BigEndianUnicode.GetString(rcc, at + 6, length * 2);
        }
    }

    private static int BigEndian(byte[] data, int at) => BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(at));
}
