namespace MeterBridge.Config;

/// <summary>Reads or opens a file, turning failures into a short reason. (Exception messages are resource keys in
/// the trimmed binary, so they are not shown.)</summary>
public static class TextFile
{
    /// <summary>Null and the text, or the reason it could not be read (a phrase: "does not exist").</summary>
    public static string? TryRead(string path, out string text)
    {
        text = "";
        string? why = Open(path, out Stream? stream);
        if (why is not null) return why;
        try
        {
            using var reader = new StreamReader(stream!);
            text = reader.ReadToEnd();
            return null;
        }
        catch (IOException)
        {
            return "cannot be read";
        }
    }

    /// <summary>Null and the open file, or the reason it cannot be opened; for files too large to read whole.</summary>
    public static string? Open(string path, out Stream? stream)
    {
        stream = null;
        if (Directory.Exists(path))
            return "is a directory, not a file";
        if (!File.Exists(path))
            return "does not exist";
        try
        {
            stream = File.OpenRead(path);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return "cannot be read (permission denied)";
        }
        catch (IOException)
        {
            return "cannot be read";
        }
    }
}
