using System.Text;
using MeterBridge.Config;
using MeterBridge.Core;
using MeterBridge.Items;
using MeterBridge.Setup;
using Xunit;

namespace MeterBridge.Tests.Items;

/// <summary>
/// A path once published stays until the service leaves: a row that loses its value turns invalid and is signalled
/// (readers that scanned it keep what they were told), and goes only with a new registration.
/// </summary>
public class WithdrawTests
{
    private static int Row(string path) => MeterPaths.All.Select(d => d.Path).ToList().IndexOf(path);

    private static (Meter Meter, ItemTable Table, MeterItems Items) Fed(string payload)
    {
        var meter = new Meter(new MeterLimits());
        var table = new ItemTable();
        var items = new MeterItems();
        Assert.True(meter.Apply("", Encoding.UTF8.GetBytes(payload)).IsAccepted);
        items.Update(table, meter.State, Staleness.Fresh);
        table.AcceptChanges();
        return (meter, table, items);
    }

    [Fact]
    public void A_withdrawn_row_stays_present_turns_invalid_and_is_a_change()
    {
        var table = new ItemTable();
        table.Set(0, BusValue.Of(413.0));
        table.AcceptChanges();

        table.Withdraw(0);
        Assert.True(table.IsPresent(0));
        Assert.True(table.IsWithdrawn(0));
        Assert.Equal(BusValue.Invalid, table[0]);
        Assert.Equal([0], table.Changed.ToArray());

        table.AcceptChanges();
        table.Withdraw(0);
        Assert.Equal(0, table.Changed.Length); // withdrawing again tells nobody anything new
    }

    [Fact]
    public void A_row_never_present_stays_absent_when_withdrawn()
    {
        var table = new ItemTable();
        table.Withdraw(3);
        Assert.False(table.IsPresent(3));
        Assert.False(table.IsWithdrawn(3));
        Assert.Equal(0, table.Changed.Length);
    }

    [Fact]
    public void A_new_registration_drops_withdrawn_rows_only()
    {
        var table = new ItemTable();
        table.Set(0, BusValue.Of(1.0));
        table.Set(1, BusValue.Invalid); // invalid with a reason of its own: stays
        table.Set(2, BusValue.Of(2.0));
        table.Withdraw(0);
        table.Withdraw(2);
        table.Set(2, BusValue.Invalid); // has a value (invalid) again: not withdrawn
        table.DropWithdrawn();
        Assert.False(table.IsPresent(0));
        Assert.True(table.IsPresent(1));
        Assert.True(table.IsPresent(2));
        Assert.False(table.IsWithdrawn(2));
    }

    [Fact]
    public void The_L1_mirror_ending_makes_every_L1_row_invalid_in_the_next_signal()
    {
        var (meter, table, items) = Fed("""{"grid":{"power":413,"energy_forward":10}}""");
        Assert.Equal(BusValue.Of(413.0), table[Row("/Ac/L1/Power")]);

        Assert.True(meter.Apply("", """{"grid":{"power":900,"L2":{"power":400}}}"""u8).IsAccepted);
        items.Update(table, meter.State, Staleness.Fresh);

        var changed = table.Changed.ToArray().Select(row => table.Defs[row].Path).ToHashSet();
        foreach (var leaf in (string[])["Power", "Voltage", "Current", "Frequency", "Energy/Forward"])
        {
            int row = Row("/Ac/L1/" + leaf);
            Assert.True(table.IsPresent(row), leaf);
            Assert.False(table[row].IsValid, leaf);
            Assert.Contains("/Ac/L1/" + leaf, changed);
        }
        // Invalid before and after (no power factor, no reverse energy): nothing new to tell.
        Assert.DoesNotContain("/Ac/L1/PowerFactor", changed);
        Assert.True(table.IsPresent(Row("/Ac/L1/PowerFactor")));
        Assert.Equal(BusValue.Of(400.0), table[Row("/Ac/L2/Power")]);
        Assert.False(table.IsPresent(Row("/Ac/L3/Power")));

        // L1 itself appears later: its own values replace the invalid ones.
        table.AcceptChanges();
        Assert.True(meter.Apply("", """{"grid":{"L1":{"power":500}}}"""u8).IsAccepted);
        items.Update(table, meter.State, Staleness.Fresh);
        Assert.Equal(BusValue.Of(500.0), table[Row("/Ac/L1/Power")]);
        Assert.False(table.IsWithdrawn(Row("/Ac/L1/Power")));
    }

    [Fact]
    public void Role_rows_are_withdrawn_for_grid_and_gone_after_the_new_registration()
    {
        var table = new ItemTable();
        var settings = new Settings { DeviceInstance = 7 };
        var acload = DeviceSetup.FromConfig(settings).WithRole(Role.AcLoad, settings.DeviceName);
        Identity.Fill(table, settings, acload);
        Assert.Equal(BusValue.Of(0), table[MeterPaths.Position]);
        Assert.Equal(BusValue.Of(1), table[MeterPaths.IsGenericEnergyMeter]);
        table.AcceptChanges();

        Identity.Fill(table, settings, acload.WithRole(Role.Grid, settings.DeviceName));
        Assert.True(table.IsPresent(MeterPaths.Position));
        Assert.False(table[MeterPaths.Position].IsValid);
        Assert.Contains(MeterPaths.Position, table.Changed.ToArray());
        Assert.Contains(MeterPaths.IsGenericEnergyMeter, table.Changed.ToArray());

        table.DropWithdrawn(); // what registering under the new name does first
        Assert.False(table.IsPresent(MeterPaths.Position));
        Assert.False(table.IsPresent(MeterPaths.IsGenericEnergyMeter));

        var grid = new ItemTable();
        Identity.Fill(grid, settings, DeviceSetup.FromConfig(settings));
        Assert.False(grid.IsPresent(MeterPaths.Position)); // never shown: never there
    }

    [Fact]
    public void Withdrawing_and_showing_again_allocates_nothing()
    {
        var table = new ItemTable();
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                table.Set(i % Reading.Size, BusValue.Of((double)i));
                table.Withdraw((i + 7) % Reading.Size);
                table.AcceptChanges();
            }
        }
        for (int i = 0; i < 50; i++) Run(100); // past tiering's call counts
        // Steady state: the fewest bytes of three rounds (a round may catch the runtime's own tier-up work, ~88 B).
        long fewest = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Run(10_000);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, fewest);
    }
}
