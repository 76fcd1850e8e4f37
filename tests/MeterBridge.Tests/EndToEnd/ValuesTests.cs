using Xunit;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>The seed's payload formats, through mosquitto_pub, the binary and gdbus: what a GX would read.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ValuesTests
{
    [Fact]
    public void Not_on_the_bus_before_the_first_message_then_the_minimum_payload_registers_it()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();
        Assert.False(rig.OnBus(), "registered before any message:\n" + bridge.Log);

        rig.Publish("""{"grid":{"power":0.0}}""");
        rig.WaitForValue("/Ac/Power", "(<0.0>,)", bridge: bridge);
        rig.WaitForValue("/Connected", "(<1>,)");
        rig.AssertValue("/DeviceInstance", "(<40>,)");
    }

    [Fact]
    public void Phases_L1_to_L3_arrive_one_after_another()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();

        rig.Publish("""{"grid":{"power":500.0,"L1":{"power":500.0}}}""");
        rig.WaitForValue("/Ac/L1/Power", "(<500.0>,)", bridge: bridge);
        rig.Publish("""{"grid":{"power":900.0,"L1":{"power":500.0},"L2":{"power":400.0}}}""");
        rig.WaitForValue("/Ac/L2/Power", "(<400.0>,)", bridge: bridge);
        rig.Publish("""{"grid":{"power":1200.0,"L1":{"power":500.0},"L2":{"power":400.0},"L3":{"power":300.0}}}""");
        rig.WaitForValue("/Ac/L3/Power", "(<300.0>,)", bridge: bridge);
        rig.WaitForValue("/Ac/Power", "(<1200.0>,)");
        rig.WaitForValue("/NrOfPhases", "(<3>,)");
    }

    [Fact]
    public void The_full_payload_shows_every_value()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();

        rig.Publish("""{"grid":{"power":1500.5,"voltage":231.0,"current":6.6,"energy_forward":12345.67,"energy_reverse":2345.6,"L1":{"power":500.1,"voltage":230.1,"current":2.2,"frequency":50.01,"energy_forward":4000.1,"energy_reverse":700.2},"L2":{"power":600.2,"voltage":231.2,"current":2.6,"frequency":50.02,"energy_forward":4100.1,"energy_reverse":800.2},"L3":{"power":400.2,"voltage":232.3,"current":1.8,"frequency":50.03,"energy_forward":4245.47,"energy_reverse":845.2}}}""");
        rig.WaitForValue("/Ac/Power", "(<1500.5>,)", bridge: bridge);
        rig.AssertValue("/Ac/Energy/Forward", "(<12345.67>,)");
        rig.AssertValue("/Ac/Energy/Reverse", "(<2345.6>,)");
        rig.AssertValue("/Ac/L1/Voltage", "(<230.1>,)");
        rig.AssertValue("/Ac/L2/Current", "(<2.6>,)");
        rig.AssertValue("/Ac/L3/Frequency", "(<50.03>,)");
        rig.AssertValue("/Ac/L3/Energy/Reverse", "(<845.2>,)");
    }

    [Fact]
    public void A_Tasmota_sequence_merges_its_one_value_messages()
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge();

        rig.Publish("""{"Time":"2023-11-22T21:57:13","grid":{"power":413}}""");
        rig.WaitForValue("/Ac/Power", "(<413.0>,)", bridge: bridge);
        rig.Publish("""{"Time":"2023-11-22T21:57:13","grid":{"power_L1":94}}""");
        rig.WaitForValue("/Ac/L1/Power", "(<94.0>,)", bridge: bridge);
        rig.Publish("""{"Time":"2023-11-22T21:57:20","grid":{"energy_forward":1234.567,"energy_reverse":89.1}}""");
        rig.WaitForValue("/Ac/Energy/Forward", "(<1234.567>,)", bridge: bridge);
        rig.AssertValue("/Ac/Energy/Reverse", "(<89.1>,)");
        rig.AssertValue("/Ac/L1/Power", "(<94.0>,)");
    }

    [Theory]
    [InlineData("meters/+/grid", "meters/house/grid")]
    [InlineData("meters/#", "meters/house/grid/sub")]
    public void A_wildcard_topic_receives(string filter, string topic)
    {
        using var rig = new Rig();
        var bridge = rig.StartBridge(topic: filter);

        rig.Publish("""{"grid":{"power":321.0}}""", topic: "elsewhere/grid");
        rig.Publish("""{"grid":{"power":123.0}}""", topic: topic);
        rig.WaitForValue("/Ac/Power", "(<123.0>,)", bridge: bridge);
    }
}
