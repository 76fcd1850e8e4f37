using MeterBridge.Mqtt;
using Xunit;

namespace MeterBridge.Tests.Mqtt;

/// <summary>How long the QoS 0 reader may sit out, in ticks of a 1 000-per-second clock (milliseconds).</summary>
public sealed class SitOutLimitTests
{
    private readonly SitOutLimit _limit = new(frequency: 1000);

    private void Read(int messages, int bytesEach, ref long bytes)
    {
        for (int i = 0; i < messages; i++) _limit.Counted();
        bytes += (long)messages * bytesEach;
    }

    [Fact]
    public void After_a_quiet_spell_the_first_sit_out_is_short()
    {
        Assert.Equal(1000 + SitOutLimit.FirstMilliseconds, _limit.Until(1000, bytesRead: 0));
        _limit.Quiet();
        Assert.Equal(5000 + SitOutLimit.FirstMilliseconds, _limit.Until(5000, bytesRead: 123));
    }

    [Fact]
    public void A_steady_hundred_messages_a_second_may_sit_out_a_whole_interval_and_more()
    {
        long bytes = 0;
        _limit.SittingOut(0, bytes);
        Read(10, 300, ref bytes); // what 100 ms at 100 messages a second brings
        Assert.True(_limit.Until(100, bytes) >= 100 + 1000, "a hundred messages a second must not cut the 100 ms interval short");
    }

    [Fact]
    public void A_flood_of_small_messages_is_read_before_200_of_them_wait()
    {
        long bytes = 0;
        _limit.SittingOut(0, bytes);
        Read(2000, 16, ref bytes); // 20 000 a second
        Assert.Equal(100 + 100 * SitOutLimit.MessagesPerSitOut / 2000, _limit.Until(100, bytes));
    }

    [Fact]
    public void Big_messages_are_read_before_the_socket_buffer_fills()
    {
        long bytes = 0;
        _limit.SittingOut(0, bytes);
        Read(1, 1024 * 1024, ref bytes); // one megabyte in 10 ms
        long until = _limit.Until(10, bytes);
        Assert.True(until - 10 <= 1, $"sits out {until - 10} ms after a megabyte in 10 ms");
    }

    [Fact]
    public void A_sit_out_that_found_nothing_is_no_proof_of_quiet_the_next_is_twice_as_long()
    {
        _limit.SittingOut(0, 5000);
        Assert.Equal(4 + 8, _limit.Until(4, 5000));
        _limit.SittingOut(12, 5000);
        Assert.Equal(20 + 16, _limit.Until(20, 5000));
    }
}
