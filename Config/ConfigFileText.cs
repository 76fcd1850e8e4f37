using System.Buffers;
using System.Text.Unicode;

namespace MeterBridge.Config;

/// <summary>
/// The text of a config file, read as the Python driver's configparser reads it (UTF-8; a file that is not UTF-8
/// is refused, naming the line, instead of silently turning bytes into U+FFFD), and no larger than a config file
/// can sensibly be: a multi-MB file named by mistake ends in one line and exit 2, not in the 32 MiB heap limit.
/// </summary>
public static class ConfigFileText
{
    /// <summary>The sample with every comment is about 5 KB.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Null and the text, or the whole one-line problem (<c>--config "x" does not exist</c>,
    /// <c>config.ini:7: is not UTF-8 …</c>).</summary>
    public static string? TryRead(string path, out string text)
    {
        text = "";
        if (TextFile.TryReadBytes(path, MaxBytes, out byte[] bytes) is { } why)
            return $"--config {ValueText.Quote(path)} {why}";
        char[] chars = new char[bytes.Length];
        if (Utf8.ToUtf16(bytes, chars, out int read, out int written, replaceInvalidSequences: false) != OperationStatus.Done)
            return $"{path}:{LineAt(bytes, read)}: is not UTF-8 text (byte 0x{bytes[read]:X2}): save the file as UTF-8";
        text = new string(chars, 0, written);
        return null;
    }

    /// <summary>The line number of byte <paramref name="offset"/>, counting \n, \r and \r\n as configparser does.</summary>
    private static int LineAt(byte[] bytes, int offset)
    {
        int line = 1;
        for (int i = 0; i < offset; i++)
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.Length || bytes[i + 1] != '\n')))
                line++;
        return line;
    }
}
