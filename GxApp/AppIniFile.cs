using MeterBridge.Config;

namespace MeterBridge.GxApp;

/// <summary>
/// A meter's folder under the app's home (<c>meter-N/</c>) and its app.ini, written so that a meter never reads half a file
/// and the password is not readable by others: the new text goes to <c>app.ini.new</c> (mode 0600), is flushed to disk,
/// loaded as the meter would load it, and only then renamed over app.ini.
/// </summary>
internal static class AppIniFile
{
    public const string FileName = "app.ini";
    public const string ImportName = "config.ini";

    public static string Folder(string home, int meter) => Path.Combine(home, $"meter-{meter}");

    public static string PathOf(string home, int meter) => Path.Combine(Folder(home, meter), FileName);

    /// <summary>The text app.ini holds now, or null.</summary>
    public static string? Current(string home, int meter)
    {
        try { return File.ReadAllText(PathOf(home, meter)); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// Writes <paramref name="ini"/> as meter <paramref name="meter"/>'s app.ini when the meter's own loader takes it whole;
    /// else leaves app.ini as it was and returns the first problem, in the name of its setting.
    /// </summary>
    public static string? Write(string home, int meter, AppIni.Text ini, out Settings? settings)
    {
        settings = null;
        string folder = Folder(home, meter);
        Directory.CreateDirectory(folder);
        string target = PathOf(home, meter), next = target + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.Delete(next); // an old one may have another mode: UnixCreateMode applies to a new file only
        using (var stream = new FileStream(next, options))
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(ini.Content));
            stream.Flush(flushToDisk: true);
        }
        SettingsLoad load = SettingsLoader.Load(new SettingsInput { ConfigPath = next });
        if (!load.Ok)
        {
            File.Delete(next);
            return AppIni.Reword(load.Problems[0], ini);
        }
        File.Move(next, target, overwrite: true);
        settings = load.Settings;
        return null;
    }

    /// <summary>The settings of the app.ini there is, as the meter loads them; null when there is none or it is refused.</summary>
    public static Settings? Load(string home, int meter)
    {
        string path = PathOf(home, meter);
        if (!File.Exists(path)) return null;
        SettingsLoad load = SettingsLoader.Load(new SettingsInput { ConfigPath = path });
        return load.Ok ? load.Settings : null;
    }
}
