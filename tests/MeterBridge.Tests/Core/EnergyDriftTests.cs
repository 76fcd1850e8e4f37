using System.Globalization;
using System.Text;
using MeterBridge.Core;
using Xunit;
using Xunit.Abstractions;

namespace MeterBridge.Tests.Core;

/// <summary>
/// How far counting from power drifts from a meter that counts every second: a made-up but lively household day (a
/// fridge cycling, a kettle, an oven's thermostat, a washing machine, and solar export under passing clouds), sampled
/// as a source would publish it. The README's number comes from here.
/// </summary>
public sealed class EnergyDriftTests(ITestOutputHelper output)
{
    private const int Day = 24 * 3600;

    /// <summary>A day's grid power, one value per second, in watts (negative: exported).</summary>
    private static double[] HouseholdDay(int seed)
    {
        var random = new Random(seed);
        var power = new double[Day];
        double baseLoad = 250;
        int kettleUntil = -1, ovenFrom = 18 * 3600 + random.Next(3600), washFrom = 9 * 3600 + random.Next(4 * 3600);
        double cloud = 1;
        for (int t = 0; t < Day; t++)
        {
            if (t % 60 == 0) baseLoad = Math.Clamp(baseLoad + random.Next(-40, 41), 120, 600);
            double p = baseLoad;
            if (t % 2700 < 900) p += 120; // the fridge: 15 min on, 30 off
            if (kettleUntil < t && random.NextDouble() < 6.0 / Day) kettleUntil = t + 180;
            if (t < kettleUntil) p += 2000;
            if (t >= ovenFrom && t < ovenFrom + 3600 && (t - ovenFrom) % 300 < 140) p += 2300; // thermostat cycling
            if (t >= washFrom && t < washFrom + 5400) p += (t - washFrom) < 1200 ? 2000 : (t - washFrom) % 60 < 20 ? 400 : 60;
            double sun = Math.Max(0, Math.Sin(Math.PI * (t - 6 * 3600) / (14 * 3600.0)));
            if (t % 20 == 0) cloud = random.NextDouble() < 0.15 ? 0.3 + 0.4 * random.NextDouble() : Math.Min(1, cloud + 0.2);
            p -= 4000 * sun * cloud;
            power[t] = p;
        }
        return power;
    }

    private static (double Forward, double Reverse) Truth(double[] power)
    {
        double forward = 0, reverse = 0;
        foreach (double p in power)
            if (p > 0) forward += p; else reverse -= p;
        return (forward / 3_600_000, reverse / 3_600_000);
    }

    /// <summary>The source publishes the power of the second it samples, every <paramref name="period"/> s give or take a second.</summary>
    private static (double Forward, double Reverse) Counted(double[] power, int period, int seed)
    {
        var random = new Random(seed);
        var meter = new Meter(new MeterLimits(), energy: new EnergyIntegrator(EnergyFromPower.Auto, 60, 1000));
        for (int t = 0; t < Day; t += period + (period > 1 ? random.Next(-1, 2) : 0))
            Assert.True(meter.Apply("", Encoding.UTF8.GetBytes("{\"grid\":{\"power\":" + power[t].ToString("R", CultureInfo.InvariantCulture) + "}}"), t * 1000L).IsAccepted);
        var energy = meter.State.Energy!;
        return (energy.Value(Location.Total, Quantity.EnergyForward), energy.Value(Location.Total, Quantity.EnergyReverse));
    }

    [Theory]
    [InlineData(1, 0.002)]
    [InlineData(10, 0.01)]
    [InlineData(30, 0.05)]
    public void A_day_counted_from_power_sampled_every_few_seconds_stays_close_to_a_meter_that_counts_every_second(int period, double bound)
    {
        double worst = 0, sum = 0;
        int days = period == 1 ? 2 : 10; // a second's sampling is slow to run and its error tiny
        for (int seed = 1; seed <= days; seed++)
        {
            var power = HouseholdDay(seed);
            var truth = Truth(power);
            var counted = Counted(power, period, seed);
            double forward = Math.Abs(counted.Forward - truth.Forward) / truth.Forward, reverse = Math.Abs(counted.Reverse - truth.Reverse) / truth.Reverse;
            output.WriteLine($"period {period} s, day {seed}: forward {truth.Forward:0.000} kWh counted {counted.Forward:0.000} ({forward:P2}), reverse {truth.Reverse:0.000} kWh counted {counted.Reverse:0.000} ({reverse:P2})");
            worst = Math.Max(worst, Math.Max(forward, reverse));
            sum += forward + reverse;
        }
        output.WriteLine($"period {period} s: mean error {sum / (2 * days):P2}, worst {worst:P2}");
        Assert.True(worst <= bound, $"counted from power every {period} s drifts {worst:P2} in a day, more than {bound:P1}");
    }
}
