using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MeterBridge.Tests.Gui;

/// <summary>
/// Lists the files in an rcc binary (what <c>rcc -binary</c> writes and QResource::registerResource reads): the header
/// "qres", version, tree, data and names offsets; tree nodes of 14 bytes (version 1) or 22 (2 and 3, with a
/// modification time); names as a length, a hash and UTF-16BE; a file's data as a length and the bytes, zlib
/// ones (flag 1) as qCompress writes them (the size, then a zlib stream). Qt's rcc has no option that lists a binary.
/// </summary>
public static class RccReader
{
    /// <summary>Every file's path ("/MeterBridge/MeterPage.qml") and its contents, uncompressed.</summary>
    public static Dictionary<string, byte[]> Files(byte[] rcc)
    {
        if (rcc.Length < 20 || Encoding.ASCII.GetString(rcc, 0, 4) != "qres")
            throw new InvalidDataException("not an rcc binary (no \"qres\" magic)");
        var version = BigEndian(rcc, 4);
        var tree = BigEndian(rcc, 8);
        var data = BigEndian(rcc, 12);
        var names = BigEndian(rcc, 16);
        var nodeSize = version >= 2 ? 22 : 14;
        var files = new Dictionary<string, byte[]>();
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
                files[full] = Contents(flags, data + BigEndian(rcc, at + 10));
            }
        }

        byte[] Contents(ushort flags, int at)
        {
            var length = BigEndian(rcc, at);
            var bytes = rcc.AsSpan(at + 4, length);
            if ((flags & 0x04) != 0) throw new InvalidDataException("zstd-compressed entry: the packer asks for zlib");
            if ((flags & 0x01) == 0) return bytes.ToArray();
            using var zlib = new ZLibStream(new MemoryStream(bytes[4..].ToArray()), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            zlib.CopyTo(plain);
            if (plain.Length != BinaryPrimitives.ReadInt32BigEndian(bytes)) throw new InvalidDataException("zlib entry of the wrong size");
            return plain.ToArray();
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
