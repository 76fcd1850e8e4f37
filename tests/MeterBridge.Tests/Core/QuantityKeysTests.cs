using System.Text;
using MeterBridge.Core;
using Xunit;

namespace MeterBridge.Tests.Core;

/// <summary>The quantities' names, said once: the seed JSON's keys (case-sensitive, as the Python driver) and the
/// [MAPPING] keys (any case, as configparser lower-cases them).</summary>
public class QuantityKeysTests
{
    [Theory]
    [InlineData("power", true, Location.Total, Quantity.Power)]
    [InlineData("power_factor_L3", true, Location.L3, Quantity.PowerFactor)]
    [InlineData("energy_reverse_L1", true, Location.L1, Quantity.EnergyReverse)]
    public void A_seed_key_names_its_quantity_and_phase(string key, bool suffix, Location location, Quantity quantity)
    {
        Assert.True(QuantityKeys.TryMatch(Encoding.UTF8.GetBytes(key), suffix, out var q, out var l));
        Assert.Equal((location, quantity), (l, q));
    }

    [Theory]
    [InlineData("Power", true)]
    [InlineData("power_l1", true)]
    [InlineData("power_L4", true)]
    [InlineData("power_L1", false)]
    [InlineData("energy", true)]
    public void A_seed_key_is_matched_exactly(string key, bool suffix) =>
        Assert.False(QuantityKeys.TryMatch(Encoding.UTF8.GetBytes(key), suffix, out _, out _));

    [Theory]
    [InlineData("L2", true)]
    [InlineData("l2", false)]
    [InlineData("L0", false)]
    [InlineData("L12", false)]
    public void A_phase_object_is_L1_to_L3(string key, bool phase) =>
        Assert.Equal(phase, QuantityKeys.TryMatchPhase(Encoding.UTF8.GetBytes(key), out _));

    [Theory]
    [InlineData("power_l1", Location.L1, Quantity.Power)]
    [InlineData("POWER_L2", Location.L2, Quantity.Power)]
    [InlineData("Frequency", Location.Total, Quantity.Frequency)]
    public void A_MAPPING_key_is_read_in_any_case(string key, Location location, Quantity quantity)
    {
        Assert.True(QuantityKeys.TryParseMappingKey(key, out var l, out var q));
        Assert.Equal((location, quantity), (l, q));
    }

    [Theory]
    [InlineData("power_l")]
    [InlineData("power_l4")]
    [InlineData("powerl1")]
    [InlineData("energy")]
    [InlineData("a_very_long_key_that_is_no_quantity_at_all")]
    public void Anything_else_is_no_MAPPING_key(string key) => Assert.False(QuantityKeys.TryParseMappingKey(key, out _, out _));

    [Fact]
    public void A_key_is_written_as_the_seed_JSON_or_the_README_writes_it()
    {
        Assert.Equal("grid.L2.power_factor", QuantityKeys.SeedPath(Location.L2, Quantity.PowerFactor));
        Assert.Equal("grid.voltage", QuantityKeys.SeedPath(Location.Total, Quantity.Voltage));
        Assert.Equal("current_L3", QuantityKeys.MappingKey(Location.L3, Quantity.Current));
        Assert.Equal("power, voltage, current, frequency, power_factor, energy_forward, energy_reverse", QuantityKeys.List());
    }
}
