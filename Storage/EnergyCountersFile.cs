using MeterBridge.Core;

namespace MeterBridge.Storage;

/// <summary>
/// The counters from power on disk, kept twice: the file and <c>FILE.bak</c>, each written whole to <c>FILE.tmp</c>,
/// flushed to disk and renamed over the old one, so a crash or a power cut leaves either the old or the new counters,
/// never half of them. A load reads both and takes the larger of each counter: a file torn or corrupted on disk
/// costs nothing while the other holds the same counters. A corrupt one is moved aside to <c>FILE.corrupt</c>, never
/// silently overwritten, and said in one warning by the caller. A file of another meter (another device_instance:
/// two meters pointed at one file) is not ours to read or to write.
/// </summary>
internal sealed class EnergyCountersFile(string path, int deviceInstance)
{
    public string FileName { get; } = path;

    private string Backup => FileName + ".bak";

    /// <summary>
    /// What a load found: the counters (none when there were no files), a warning per unusable file, and the
    /// device_instance of another meter whose file it is (null: ours, or nobody's yet).
    /// </summary>
    public readonly record struct Loaded(EnergyCounts Counts, bool Found, IReadOnlyList<string> Warnings, int? OtherMeter = null);

    public Loaded Load()
    {
        var warnings = new List<string>();
        var counts = EnergyCounts.Empty();
        bool found = false;
        foreach (string file in (string[])[FileName, Backup])
        {
            byte[] text;
            try
            {
                if (!File.Exists(file)) continue;
                text = File.ReadAllBytes(file);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"cannot read the energy counters file {file} ({error.Message}): ignored");
                continue;
            }
            if (EnergyCountersFileFormat.TryParse(text, out EnergyCounts kept, out int owner) is { } problem)
            {
                warnings.Add($"the energy counters file {file} {problem}: ignored{MoveAside(file)}");
                continue;
            }
            if (owner != EnergyCountersFileFormat.AnyMeter && owner != deviceInstance)
                return new Loaded(EnergyCounts.Empty(), false, warnings, owner);
            found = true;
            for (int i = 0; i < EnergyCounts.Size; i++)
                if (!double.IsNaN(kept[i]) && (double.IsNaN(counts[i]) || kept[i] > counts[i])) counts[i] = kept[i];
        }
        return new Loaded(counts, found, warnings);
    }

    /// <summary>Writes both copies; throws IOException (or UnauthorizedAccessException) when the disk refuses.</summary>
    public void Save(in EnergyCounts counts)
    {
        byte[] text = EnergyCountersFileFormat.Format(counts, deviceInstance);
        Replace(FileName, text);
        Replace(Backup, text);
    }

    private void Replace(string file, byte[] text)
    {
        string temporary = FileName + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(text);
            stream.Flush(flushToDisk: true); // fsync: the rename must not reach the disk before the data
        }
        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>Keeps an unusable file for its owner to look at; the next save would overwrite it.</summary>
    private static string MoveAside(string file)
    {
        try
        {
            File.Move(file, file + ".corrupt", overwrite: true);
            return $" (kept as {file}.corrupt)";
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
