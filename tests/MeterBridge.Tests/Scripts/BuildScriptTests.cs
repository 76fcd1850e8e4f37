using Xunit;

namespace MeterBridge.Tests.Scripts;

/// <summary>build-linux-arm.sh: linux-arm, whose native AOT packs this machine's feed does not serve.</summary>
public sealed class BuildScriptTests
{
    [Fact]
    public void Building_linux_arm_here_fails_with_one_clear_line_of_its_own()
    {
        var result = Shell.Run(Path.Combine(RepoRoot.Path, "build-linux-arm.sh"), ["arm"], timeoutSeconds: 120);

        Assert.NotEqual(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string line = Assert.Single(lines);
        Assert.StartsWith("linux-arm: cannot be built here", line);
        Assert.Contains("does not serve", line);
        Assert.Contains("./build-linux-arm.sh arm", line);
        Assert.DoesNotContain("error NU", line);
    }
}
