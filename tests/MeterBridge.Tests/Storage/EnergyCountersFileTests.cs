using MeterBridge.Core;
using MeterBridge.Storage;
using Xunit;

namespace MeterBridge.Tests.Storage;

/// <summary>The counters file on a real disk: both copies written, the larger counter of two taken, a bad copy set aside.</summary>
public sealed class EnergyCountersFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mb-energy-").FullName;

    private string FileName => Path.Combine(_folder, "app.energy.json");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static EnergyCounts Forward(double kiloWattHours)
    {
        var counts = EnergyCounts.Empty();
        counts[Location.Total, false] = kiloWattHours;
        return counts;
    }

    [Fact]
    public void No_file_yet_is_not_a_warning()
    {
        var loaded = new EnergyCountersFile(FileName, 7).Load();
        Assert.False(loaded.Found);
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void A_save_writes_both_copies_and_leaves_no_temporary_file()
    {
        new EnergyCountersFile(FileName, 7).Save(Forward(42));
        Assert.True(File.Exists(FileName));
        Assert.Equal(File.ReadAllBytes(FileName), File.ReadAllBytes(FileName + ".bak"));
        Assert.False(File.Exists(FileName + ".tmp"));
        var loaded = new EnergyCountersFile(FileName, 7).Load();
        Assert.True(loaded.Found);
        Assert.Equal(42, loaded.Counts.Forward(Location.Total));
    }

    [Fact]
    public void A_corrupt_file_is_one_warning_is_set_aside_and_the_copy_keeps_the_counter()
    {
        new EnergyCountersFile(FileName, 7).Save(Forward(42));
        File.WriteAllText(FileName, "{\"version\":1,\"total\":{\"forw");
        var loaded = new EnergyCountersFile(FileName, 7).Load();
        Assert.Equal(42, loaded.Counts.Forward(Location.Total));
        var warning = Assert.Single(loaded.Warnings);
        Assert.Contains(FileName, warning);
        Assert.Contains("kept as", warning);
        Assert.True(File.Exists(FileName + ".corrupt"));
    }

    [Fact]
    public void Of_two_copies_that_differ_the_larger_counter_wins()
    {
        var file = new EnergyCountersFile(FileName, 7);
        file.Save(Forward(42));
        File.Copy(FileName, FileName + ".old");
        file.Save(Forward(43));
        File.Move(FileName + ".old", FileName, overwrite: true); // a crash between the two renames, the other way round
        Assert.Equal(43, file.Load().Counts.Forward(Location.Total));
    }

    [Fact]
    public void Another_meters_file_is_neither_read_nor_taken_over()
    {
        new EnergyCountersFile(FileName, 8).Save(Forward(42));
        var loaded = new EnergyCountersFile(FileName, 7).Load();
        Assert.Equal(8, loaded.OtherMeter);
        Assert.False(loaded.Found);
        Assert.True(double.IsNaN(loaded.Counts.Forward(Location.Total)));
        Assert.False(File.Exists(FileName + ".corrupt"));
    }

    [Fact]
    public void A_folder_that_cannot_be_written_throws_an_IO_error_for_the_caller_to_report()
    {
        var file = new EnergyCountersFile(Path.Combine(_folder, "missing", "x.json"), 7);
        Assert.ThrowsAny<IOException>(() => file.Save(Forward(1)));
    }
}
