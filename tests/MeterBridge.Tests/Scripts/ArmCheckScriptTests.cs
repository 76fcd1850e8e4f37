using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Scripts;

/// <summary>
/// ci/arm-check.sh decides "build" or "skip" with one probe. Both branches, without building anything: the
/// probe's answer forced (MB_LINUX_ARM_PACKS) or asked of a feed of the test's own, the build a dry run.
/// </summary>
public sealed class ArmCheckScriptTests
{
    private const string SkippedLine = "SKIPPED: linux-arm packs not served by this feed";
    private static readonly string Script = Path.Combine(RepoPaths.Root, "ci", "arm-check.sh");

    private static ShellResult Run(IDictionary<string, string> env) => Shell.Run(Script, [], env, timeoutSeconds: 120);

    [Fact]
    public void Packs_not_served_it_says_skipped_in_one_line_and_exits_0_without_claiming_a_pass()
    {
        var result = Run(new Dictionary<string, string> { ["MB_LINUX_ARM_PACKS"] = "missing" });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(SkippedLine, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.DoesNotContain("passed", result.Output);
        Assert.DoesNotContain("would run", result.Output);
    }

    [Fact]
    public void Packs_served_the_dry_run_lists_both_builds_and_their_runs_under_qemu_arm_and_builds_nothing()
    {
        var result = Run(new Dictionary<string, string> { ["MB_LINUX_ARM_PACKS"] = "served", ["MB_ARM_CHECK_DRY_RUN"] = "1" });

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("would run: ./build-linux-arm.sh arm", lines);
        Assert.Contains("would run: ./build-linux-arm.sh arm --static", lines);
        Assert.Contains(lines, l => l.StartsWith("would run: qemu-arm -L /usr/arm-linux-gnueabihf out/linux-arm/meterbridge "));
        Assert.Contains(lines, l => l.StartsWith("would run: qemu-arm -L /usr/arm-linux-gnueabihf out/linux-arm-static/meterbridge "));
        Assert.Contains(lines, l => l.Contains("out/linux-arm-static/meterbridge is ELF 32-bit ARM EABI5 hard-float") && l.EndsWith("no glibc"));
        Assert.Equal("arm check: dry run, nothing built or checked", lines[^1]);
        Assert.DoesNotContain("SKIPPED", result.Output);
        Assert.DoesNotContain("publishing", result.Output);
    }

    [Fact]
    public void The_real_probe_on_a_feed_without_the_packs_skips()
    {
        using var feed = new IsolatedNuGetFeed();
        var result = Run(feed.Environment);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(SkippedLine, result.Stdout.Trim());
    }

    [Fact]
    public void A_feed_that_cannot_be_asked_fails_the_check_instead_of_skipping_it()
    {
        using var feed = IsolatedNuGetFeed.Unreachable();
        var result = Run(feed.Environment);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL: could not ask the feed for the linux-arm packs", result.Output);
        Assert.DoesNotContain("SKIPPED", result.Output);
    }

    [Fact]
    public void A_forced_answer_other_than_served_or_missing_is_refused()
    {
        var result = Run(new Dictionary<string, string> { ["MB_LINUX_ARM_PACKS"] = "yes" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("MB_LINUX_ARM_PACKS must be 'served' or 'missing'", result.Output);
    }
}
