using System.Text;
using MeterBridge.Core;
using Xunit;

namespace MeterBridge.Tests.Core;

/// <summary>
/// What may stand around the JSON (issue 14, item 3): a UTF-8 byte order mark before it and blanks around it are
/// ignored, as the Python driver's json.loads ignores them on bytes; a mark anywhere else is not JSON.
/// </summary>
public class PayloadEnvelopeTests
{
    private static Verdict Apply(string payload) => new Meter(new MeterLimits()).Apply("", Encoding.UTF8.GetBytes(payload));

    [Theory]
    [InlineData("\uFEFF{\"grid\":{\"power\":1}}")]
    [InlineData("\uFEFF {\"grid\":{\"power\":1}} ")]
    [InlineData(" \uFEFF\t{\"grid\":{\"power\":1}}\r\n")]
    [InlineData("\n{\"grid\":{\"power\":1}}\n")]
    public void A_byte_order_mark_and_blanks_around_the_JSON_are_ignored(string payload) =>
        Assert.True(Apply(payload).IsAccepted);

    [Theory]
    [InlineData("{\"grid\":{\"power\":1}}\uFEFF")]
    [InlineData("\uFEFF\uFEFF{\"grid\":{\"power\":1}}")]
    [InlineData("\uFEFF")]
    public void A_byte_order_mark_elsewhere_is_not_JSON(string payload) =>
        Assert.Equal(RejectReason.NotJson, Apply(payload).Reason);
}
