using System.Text;
using MeterBridge.Core;
using Xunit;

namespace MeterBridge.Tests.Core;

/// <summary>The decoder's edges beyond the vectors: escapes, duplicates, depth, bytes that are not UTF-8, size.</summary>
public class PayloadDecoderTests
{
    private static Verdict Decode(string json, out Reading reading) => Decode(Encoding.UTF8.GetBytes(json), out reading);

    private static Verdict Decode(byte[] json, out Reading reading)
    {
        reading = default;
        return PayloadDecoder.Instance.Decode("", json, ref reading);
    }

    [Fact]
    public void Escaped_keys_are_read_like_plain_ones()
    {
        var verdict = Decode("{\"g\\u0072id\":{\"pow\\u0065r_L2\":12.5,\"L\\u0031\":{\"voltage\":230}}}", out var reading);
        Assert.True(verdict.IsAccepted);
        Assert.Equal(12.5, reading[Location.L2, Quantity.Power]);
        Assert.Equal(230, reading[Location.L1, Quantity.Voltage]);
    }

    [Fact]
    public void A_duplicate_key_takes_its_last_value()
    {
        Decode("{\"grid\":{\"power\":1,\"power\":2}}", out var reading);
        Assert.Equal(2, reading[Location.Total, Quantity.Power]);
    }

    [Fact]
    public void Keys_are_case_sensitive_like_the_python_driver()
    {
        var verdict = Decode("{\"grid\":{\"Power\":5,\"power\":1}}", out var reading);
        Assert.True(verdict.IsAccepted);
        Assert.Equal(1, reading[Location.Total, Quantity.Power]);
    }

    [Fact]
    public void Deep_nesting_is_rejected_as_not_json()
    {
        string deep = "{\"grid\":{\"power\":1,\"x\":" + new string('[', 100_000) + new string(']', 100_000) + "}}";
        Assert.Equal(RejectReason.NotJson, Decode(deep, out _).Reason);
    }

    [Fact]
    public void Invalid_utf8_is_rejected()
    {
        byte[] payload = [.. "{\"grid\":{\"power\":1,\"x\":\""u8, 0xC3, 0x28, .. "\"}}"u8];
        Assert.Equal(RejectReason.NotJson, Decode(payload, out _).Reason);
    }

    [Theory]
    [InlineData("{\"grid\":{\"power\":1}} trailing")]
    [InlineData("{\"grid\":{\"power\":1}}{}")]
    [InlineData("{\"grid\":{\"power\":1}")]
    [InlineData("\u0000")]
    public void Anything_after_or_missing_from_the_object_is_not_json(string payload) =>
        Assert.Equal(RejectReason.NotJson, Decode(payload, out _).Reason);

    [Theory]
    [InlineData("{\"grid\":{\"power\":\"0x10\"}}")]
    [InlineData("{\"grid\":{\"power\":\"1,5\"}}")]
    [InlineData("{\"grid\":{\"power\":\"-Infinity\"}}")]
    [InlineData("{\"grid\":{\"power\":\"" + "1111111111111111111111111111111111111111111111111111111111111111111111" + "\"}}")]
    [InlineData("{\"grid\":{\"L2\":{\"voltage\":false}}}")]
    [InlineData("{\"grid\":{\"energy_forward_L3\":{}}}")]
    public void A_value_that_is_no_number_names_its_key(string payload)
    {
        var verdict = Decode(payload, out _);
        Assert.Equal(RejectReason.NotANumber, verdict.Reason);
        Assert.StartsWith("grid.", verdict.Key);
    }

    [Fact]
    public void A_payload_over_the_size_limit_is_rejected_before_parsing()
    {
        var meter = new Meter(new MeterLimits(MaxPayloadSize: 100));
        byte[] payload = Encoding.UTF8.GetBytes("{\"grid\":{\"power\":1,\"pad\":\"" + new string('x', 200) + "\"}}");
        var verdict = meter.Apply("", payload);
        Assert.Equal(RejectReason.TooLarge, verdict.Reason);
        Assert.False(meter.HasData);
        Assert.Contains("max_payload_size", verdict.Describe(meter.State.Limits));
    }

    [Fact]
    public void Every_reject_reason_has_a_readable_text()
    {
        var limits = new MeterLimits();
        foreach (var reason in Enum.GetValues<RejectReason>())
        {
            string text = new Verdict(reason, Location.L2, Quantity.Voltage, -1).Describe(limits);
            Assert.False(string.IsNullOrWhiteSpace(text));
            Assert.DoesNotContain(reason.ToString(), text);
        }
    }
}
