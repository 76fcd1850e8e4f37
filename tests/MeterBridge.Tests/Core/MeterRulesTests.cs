using System.Text;
using MeterBridge.Core;
using Xunit;

namespace MeterBridge.Tests.Core;

/// <summary>The plausible range of every quantity (docs/payloads.md): a value no meter can have rejects the message whole,
/// with one reason naming the key as written, the value and the bounds.</summary>
public class MeterRulesTests
{
    private static Verdict Apply(string payload, MeterLimits? limits = null) =>
        new Meter(limits ?? new MeterLimits()).Apply("", Encoding.UTF8.GetBytes(payload));

    [Theory]
    [InlineData("""{"grid":{"voltage":1e300}}""", "grid.voltage = 1E+300 V is outside 0…1000 V")]
    [InlineData("""{"grid":{"L3":{"voltage":1000.5}}}""", "grid.L3.voltage = 1000.5 V is outside 0…1000 V")]
    [InlineData("""{"grid":{"frequency":"500"}}""", "grid.frequency = 500 Hz is outside 0…100 Hz")]
    [InlineData("""{"grid":{"L1":{"current":460.5}}}""", "grid.L1.current = 460.5 A is outside ±460 A")]
    [InlineData("""{"grid":{"current_L2":-461}}""", "grid.L2.current = -461 A is outside ±460 A")]
    [InlineData("""{"grid":{"current":1e8}}""", "grid.current = 100000000 A is outside ±1380 A")]
    [InlineData("""{"grid":{"energy_forward":1.5e9}}""", "grid.energy_forward = 1500000000 kWh is outside 0…1000000000 kWh")]
    [InlineData("""{"grid":{"L2":{"energy_reverse":1e300}}}""", "grid.L2.energy_reverse = 1E+300 kWh is outside 0…1000000000 kWh")]
    [InlineData("""{"grid":{"frequency":-50}}""", "grid.frequency = -50 is negative")]
    public void A_value_no_meter_can_have_rejects_the_message_with_its_key_value_and_bounds(string payload, string reason)
    {
        var meter = new Meter(new MeterLimits());
        var verdict = meter.Apply("", Encoding.UTF8.GetBytes(payload.Replace("{\"grid\":{", "{\"grid\":{\"power\":100,")));
        Assert.False(verdict.IsAccepted);
        Assert.Equal(reason, verdict.Describe(meter.State.Limits));
        Assert.False(meter.HasData); // the power beside it is not applied either
    }

    [Theory]
    [InlineData("""{"grid":{"voltage":0,"frequency":0,"current":0,"energy_forward":0}}""")]            // a meter without a reading
    [InlineData("""{"grid":{"L1":{"voltage":120,"frequency":60},"L2":{"voltage":120,"frequency":60}}}""")] // split phase, 60 Hz
    [InlineData("""{"grid":{"voltage":1000,"frequency":100,"energy_forward":1e9,"energy_reverse":1e9}}""")]
    [InlineData("""{"grid":{"voltage":400,"frequency":50.02}}""")]                                      // line-to-line by mistake
    [InlineData("""{"grid":{"L1":{"current":460},"L2":{"current":-460},"current":1380}}""")]
    [InlineData("""{"grid":{"frequency":25}}""")]                                                       // a generator running up
    public void Every_real_installation_fits(string payload)
    {
        var verdict = Apply(payload);
        Assert.True(verdict.IsAccepted, verdict.Describe(new MeterLimits()));
    }

    [Fact]
    public void The_current_is_bounded_by_the_power_threshold()
    {
        var limits = new MeterLimits(PowerThresholdPerPhase: 5000);
        Assert.True(Apply("""{"grid":{"L1":{"current":100}}}""", limits).IsAccepted);
        Assert.Equal("grid.L1.current = 101 A is outside ±100 A", Apply("""{"grid":{"L1":{"current":101}}}""", limits).Describe(limits));
        Assert.Equal("grid.current = 301 A is outside ±300 A", Apply("""{"grid":{"current":301}}""", limits).Describe(limits));
        limits = new MeterLimits(PowerThresholdPerPhase: 100_000);
        Assert.True(Apply("""{"grid":{"L1":{"current":1999}}}""", limits).IsAccepted);
    }

    [Fact]
    public void Checking_a_full_reading_allocates_nothing()
    {
        var reading = Reading.Empty();
        for (var location = Location.Total; location <= Location.L3; location++)
            for (var quantity = Quantity.Power; quantity <= Quantity.EnergyReverse; quantity++)
                reading[location, quantity] = quantity == Quantity.PowerFactor ? 0.9 : 50;
        var limits = new MeterLimits();
        Assert.True(MeterRules.Check(reading, limits).IsAccepted);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) MeterRules.Check(reading, limits);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
