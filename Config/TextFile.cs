using System.Buffers;
using System.Text.Unicode;

namespace MeterBridge.Config;

/// <summary>Reads a small text file, turning failures into a short reason. (Exception messages are resource keys in
/// the trimmed binary, so they are not shown.)</summary>
internal static class TextFile
{
    /// <summary>Null and the text, or the reason it could not be read (a phrase: "does not exist").</summary>
    public static string? TryRead(string path, out string text)
    {
        text = "";
        if (Unreadable(path) is { } why)
            return why;
        try
        {
            text = File.ReadAllText(path);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return PermissionDenied;
        }
        catch (IOException)
        {
            return CannotBeRead;
        }
    }

    /// <summary>Null and the bytes, or the reason they could not be read; a file (or device) longer than
    /// <paramref name="maxBytes"/> is refused without reading more than that.</summary>
    public static string? TryReadBytes(string path, int maxBytes, out byte[] bytes)
    {
        bytes = [];
        if (Unreadable(path) is { } why)
            return why;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            if (stream.CanSeek && stream.Length > maxBytes)
                return TooLarge(maxBytes);
            var buffer = new byte[maxBytes + 1];
            int length = 0;
            while (length < buffer.Length && stream.Read(buffer, length, buffer.Length - length) is > 0 and int read)
                length += read;
            if (length > maxBytes)
                return TooLarge(maxBytes);
            bytes = buffer[..length];
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return PermissionDenied;
        }
        catch (IOException)
        {
            return CannotBeRead;
        }
    }

    /// <summary>Null and the open file, or the reason it cannot be opened; for input streamed, however large.</summary>
    public static string? Open(string path, out Stream? stream)
    {
        stream = null;
        if (Unreadable(path) is { } why)
            return why;
        try
        {
            stream = File.OpenRead(path);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return PermissionDenied;
        }
        catch (IOException)
        {
            return CannotBeRead;
        }
    }

    private const string PermissionDenied = "cannot be read (permission denied)";
    private const string CannotBeRead = "cannot be read";

    private static string TooLarge(int maxBytes) => $"is larger than {maxBytes / 1024} KiB (the wrong file?)";

    private static string? Unreadable(string path)
    {
        if (Directory.Exists(path))
            return "is a directory, not a file";
        if (!File.Exists(path))
            return "does not exist";
        return null;
    }
}

/// <summary>
/// The text of a config file, read as the Python driver's configparser reads it (UTF-8; a file that is not UTF-8
/// is refused, naming the line, instead of silently turning bytes into U+FFFD), and no larger than a config file
/// can sensibly be: a multi-MB file named by mistake ends in one line and exit 2, not in the 32 MiB heap limit.
/// </summary>
internal static class ConfigFileText
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
