using System.Text;
using MeterBridge.Core;
using Xunit;

namespace MeterBridge.Tests.Core;

/// <summary>Energy counted from power (energy_from_power) on fake time: a tick is a millisecond.</summary>
public sealed class EnergyIntegratorTests
{
    private const long Second = 1000;

    private sealed class Fed(EnergyFromPower mode = EnergyFromPower.Auto, double timeout = 60)
    {
        public Meter Meter { get; } = new(new MeterLimits(), energy: new EnergyIntegrator(mode, timeout, Second));

        public Fed At(double seconds, string grid)
        {
            var verdict = Meter.Apply("", Encoding.UTF8.GetBytes("{\"grid\":{" + grid + "}}"), (long)(seconds * Second));
            Assert.True(verdict.IsAccepted, verdict.ToString());
            return this;
        }

        public double Shown(Location location, Quantity quantity)
        {
            var shown = Reading.Empty();
            Meter.State.Show(Staleness.Fresh, ref shown);
            return shown[location, quantity];
        }

        public double Forward(Location location = Location.Total) => Shown(location, Quantity.EnergyForward);

        public double Reverse(Location location = Location.Total) => Shown(location, Quantity.EnergyReverse);
    }

    [Fact]
    public void Constant_power_for_an_hour_counts_its_kilowatt_hours()
    {
        var fed = new Fed();
        for (int s = 0; s <= 3600; s += 10) fed.At(s, "\"power\":1500");
        Assert.Equal(1.5, fed.Forward(), 9);
        Assert.Equal(0, fed.Reverse());
    }

    [Fact]
    public void A_ramp_is_counted_by_the_trapezoid_not_by_either_end()
    {
        var fed = new Fed().At(0, "\"power\":0").At(36, "\"power\":1000");
        Assert.Equal(0.005, fed.Forward(), 12); // 500 W mean × 36 s = 18 000 Ws
    }

    [Fact]
    public void Negative_power_counts_reverse_and_a_crossing_is_split_where_it_crosses_zero()
    {
        var fed = new Fed().At(0, "\"power\":-2000").At(36, "\"power\":-2000");
        Assert.Equal(0.02, fed.Reverse(), 12);
        Assert.Equal(0, fed.Forward());

        fed.At(72, "\"power\":2000"); // a line from -2000 to 2000 W: 18 s below zero, 18 s above
        Assert.Equal(0.02 + 0.005, fed.Reverse(), 12);
        Assert.Equal(0.005, fed.Forward(), 12);
    }

    [Fact]
    public void The_first_message_shows_a_counter_of_0_and_decode_without_a_clock_shows_none()
    {
        Assert.Equal(0, new Fed().At(5, "\"power\":800").Forward());
        var meter = new Meter(new MeterLimits());
        Assert.True(meter.Apply("", "{\"grid\":{\"power\":800}}"u8).IsAccepted);
        var shown = Reading.Empty();
        meter.State.Show(Staleness.Fresh, ref shown);
        Assert.True(double.IsNaN(shown[Location.Total, Quantity.EnergyForward]));
    }

    [Fact]
    public void Nothing_is_counted_across_a_gap_as_long_as_the_timeout()
    {
        var fed = new Fed(timeout: 30).At(0, "\"power\":1000").At(10, "\"power\":1000");
        double before = fed.Forward();
        fed.At(40, "\"power\":1000"); // 30 s of silence: the meter went stale in between
        Assert.Equal(before, fed.Forward());
        fed.At(58, "\"power\":1000"); // counting goes on from the sample after the gap
        Assert.Equal(before + 0.005, fed.Forward(), 12);
    }

    [Fact]
    public void Without_a_timeout_a_gap_of_a_minute_is_not_counted()
    {
        var fed = new Fed(timeout: 0).At(0, "\"power\":3600").At(59, "\"power\":3600");
        Assert.Equal(0.059, fed.Forward(), 12);
        fed.At(119, "\"power\":3600");
        Assert.Equal(0.059, fed.Forward(), 12);
    }

    [Fact]
    public void Each_phase_counts_its_own_power_and_the_total_is_their_sum()
    {
        var fed = new Fed().At(0, "\"L1\":{\"power\":1000},\"L2\":{\"power\":-500}").At(36, "\"L1\":{\"power\":1000},\"L2\":{\"power\":-500}");
        Assert.Equal(0.01, fed.Forward(Location.L1), 12);
        Assert.Equal(0.005, fed.Reverse(Location.L2), 12);
        Assert.Equal(0, fed.Forward(Location.L2));
        Assert.Equal(0.01, fed.Forward(), 12);
        Assert.Equal(0.005, fed.Reverse(), 12);
    }

    [Fact]
    public void A_phase_that_comes_in_its_own_messages_counts_between_its_own_samples()
    {
        var fed = new Fed().At(0, "\"power_L1\":1000").At(18, "\"power_L2\":1000").At(36, "\"power_L1\":1000");
        Assert.Equal(0.01, fed.Forward(Location.L1), 12);
        Assert.Equal(0, fed.Forward(Location.L2));
    }

    [Fact]
    public void A_total_only_meter_shows_its_counters_on_the_L1_mirror()
    {
        var fed = new Fed().At(0, "\"power\":1000").At(36, "\"power\":1000");
        Assert.Equal(0.01, fed.Forward(Location.L1), 12);
    }

    [Fact]
    public void A_source_that_starts_sending_counters_takes_over_and_ours_stop()
    {
        var fed = new Fed().At(0, "\"power\":1000").At(36, "\"power\":1000");
        Assert.Equal(0.01, fed.Forward(), 12);
        fed.At(72, "\"power\":1000,\"energy_forward\":1234.5");
        Assert.Equal(1234.5, fed.Forward());
        Assert.True(double.IsNaN(fed.Reverse()), "the source's reverse counter was never received: invalid, not ours");
        fed.At(108, "\"power\":1000");
        Assert.Equal(1234.5, fed.Forward());
        Assert.Equal(0.01, fed.Meter.State.Energy!.Value(Location.Total, Quantity.EnergyForward), 12);
    }

    [Fact]
    public void A_source_counter_for_the_total_leaves_the_phases_counted_from_power()
    {
        var fed = new Fed().At(0, "\"energy_forward\":50,\"L1\":{\"power\":1000}").At(36, "\"L1\":{\"power\":1000}");
        Assert.Equal(50, fed.Forward());
        Assert.Equal(0.01, fed.Forward(Location.L1), 12);
    }

    [Fact]
    public void A_total_power_beside_phase_counters_shows_the_phases_sum_not_our_estimate()
    {
        // A Shelly 3EM Gen1: per-phase power and counters, and a total power.
        const string message = "\"power\":1500,\"L1\":{\"power\":1000,\"energy_forward\":10,\"energy_reverse\":1},\"L2\":{\"power\":500,\"energy_forward\":20,\"energy_reverse\":2}";
        var fed = new Fed().At(0, message).At(36, message);
        Assert.Equal(30, fed.Forward());
        Assert.Equal(3, fed.Reverse());
        Assert.Equal(10, fed.Forward(Location.L1));
    }

    [Fact]
    public void On_counts_even_where_the_source_sends_counters_and_off_counts_nothing()
    {
        var on = new Fed(EnergyFromPower.On).At(0, "\"power\":1000,\"energy_forward\":99").At(36, "\"power\":1000,\"energy_forward\":99");
        Assert.Equal(0.01, on.Forward(), 12);
        var off = new Fed(EnergyFromPower.Off).At(0, "\"power\":1000").At(36, "\"power\":1000");
        Assert.True(double.IsNaN(off.Forward()));
    }

    [Fact]
    public void Restored_counters_go_on_and_never_go_down()
    {
        var fed = new Fed();
        var kept = EnergyCounts.Empty();
        kept[Location.Total, false] = 100;
        kept[Location.Total, true] = 7;
        fed.Meter.State.Energy!.Restore(kept);
        fed.At(0, "\"power\":1000");
        Assert.Equal(100, fed.Forward());
        Assert.Equal(7, fed.Reverse());
        fed.At(36, "\"power\":1000");
        Assert.Equal(100.01, fed.Forward(), 9);

        var lower = EnergyCounts.Empty();
        lower[Location.Total, false] = 1;
        lower[Location.Total, true] = double.PositiveInfinity;
        fed.Meter.State.Energy.Restore(lower);
        Assert.Equal(100.01, fed.Forward(), 9);
        Assert.Equal(7, fed.Reverse());
    }

    [Fact]
    public void The_counters_only_grow_whatever_power_and_time_do()
    {
        var fed = new Fed(timeout: 0);
        var random = new Random(27);
        double forward = 0, reverse = 0;
        double t = 0;
        for (int i = 0; i < 5000; i++)
        {
            t += random.Next(0, 4) == 0 ? random.NextDouble() * 90 : random.NextDouble();
            fed.At(t, $"\"power\":{random.Next(-69000, 69000)}");
            Assert.True(fed.Forward() >= forward && fed.Reverse() >= reverse, $"went back at {i}");
            (forward, reverse) = (fed.Forward(), fed.Reverse());
        }
        Assert.True(forward > 0 && reverse > 0);
    }

    [Fact]
    public void Time_that_goes_backwards_counts_nothing()
    {
        var fed = new Fed().At(10, "\"power\":1000").At(5, "\"power\":1000").At(10, "\"power\":1000");
        Assert.Equal(1000.0 * 5 / 3_600_000, fed.Forward(), 12);
    }

    [Fact]
    public void Changes_grow_only_when_a_counter_grows()
    {
        var fed = new Fed().At(0, "\"power\":0");
        var energy = fed.Meter.State.Energy!;
        fed.At(10, "\"power\":0");
        Assert.Equal(0, energy.Changes);
        fed.At(20, "\"power\":100");
        Assert.Equal(1, energy.Changes);
    }

    [Fact]
    public void Counting_from_power_allocates_nothing_per_message()
    {
        var meter = new Meter(new MeterLimits(), energy: new EnergyIntegrator(EnergyFromPower.Auto, 60, Second));
        var table = new MeterBridge.Items.ItemTable();
        var items = new MeterBridge.Items.MeterItems();
        var payloads = Enumerable.Range(0, 100).Select(i => Encoding.UTF8.GetBytes(
            $"{{\"grid\":{{\"power\":{i * 10 - 500},\"L1\":{{\"power\":{i}}},\"L2\":{{\"power\":-{i}}}}}}}")).ToArray();
        long now = 0;
        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                now += 100;
                Assert.True(meter.Apply("", payloads[i % payloads.Length], now).IsAccepted);
                items.Update(table, meter.State, Staleness.Fresh);
                table.AcceptChanges();
            }
        }
        Run(1000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(10_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(meter.State.Energy!.Value(Location.L2, Quantity.EnergyReverse) > 0);
    }
}
