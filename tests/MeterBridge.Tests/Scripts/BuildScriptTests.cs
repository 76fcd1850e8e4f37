using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Scripts;

/// <summary>build-linux-arm.sh against a feed that does not serve the linux-arm native AOT packs.</summary>
public sealed class BuildScriptTests
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "build-linux-arm.sh");

    [Fact]
    public void Building_linux_arm_from_a_feed_without_its_packs_fails_with_one_clear_line_of_its_own()
    {
        using var feed = new IsolatedNuGetFeed();
        var result = Shell.Run(Script, ["arm"], feed.Environment, timeoutSeconds: 120);

        Assert.NotEqual(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string line = Assert.Single(lines);
        Assert.StartsWith("linux-arm: cannot be built here", line);
        Assert.Contains("does not serve", line);
        Assert.Contains("./build-linux-arm.sh arm", line);
        Assert.DoesNotContain("error NU", line);
    }

    [Fact]
    public void The_probe_says_not_served_with_exit_3_and_the_same_line()
    {
        using var feed = new IsolatedNuGetFeed();
        var result = Shell.Run(Script, ["arm", "--probe"], feed.Environment, timeoutSeconds: 120);

        Assert.Equal(3, result.ExitCode);
        string line = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("linux-arm: cannot be built here", line);
    }

    [Fact]
    public void The_probe_fails_with_exit_1_when_the_feed_cannot_be_asked()
    {
        using var feed = IsolatedNuGetFeed.Unreachable();
        var result = Shell.Run(Script, ["arm", "--probe"], feed.Environment, timeoutSeconds: 120);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("failed for another reason", result.Output);
    }
}
