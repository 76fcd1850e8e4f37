namespace MeterBridge.Config;

/// <summary>Reads a small text file, turning failures into a short reason. (Exception messages are resource keys in
/// the trimmed binary, so they are not shown.)</summary>
public static class TextFile
{
    /// <summary>Null and the text, or the reason it could not be read (a phrase: "does not exist").</summary>
    public static string? TryRead(string path, out string text)
    {
        text = "";
        if (Directory.Exists(path))
            return "is a directory, not a file";
        if (!File.Exists(path))
            return "does not exist";
        try
        {
            text = File.ReadAllText(path);
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
