using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Scripts;

/// <summary>ci/release-notes.sh: README's "Which build" section becomes the notes of a GitHub release.</summary>
public sealed class ReleaseNotesScriptTests
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "ci", "release-notes.sh");

    [Fact]
    public void The_notes_are_the_which_build_section_of_the_readme_and_nothing_after_it()
    {
        var result = Shell.Run(Script, [Path.Combine(RepoPaths.Root, "README.md")]);

        Assert.Equal(0, result.ExitCode);
        string notes = result.Stdout;
        Assert.StartsWith("Download the tarball", notes);
        Assert.Contains("| `meterbridge-<version>-linux-arm.tar.gz` |", notes);
        Assert.Contains("| `meterbridge-<version>-linux-arm64.tar.gz` |", notes);
        Assert.Contains("linux-arm-static.tar.gz", notes);
        Assert.Contains("linux-x64.tar.gz", notes);
        Assert.Contains("sha256sum -c", notes);
        Assert.Contains("before v3.60", notes);
        Assert.DoesNotContain("### ", notes);
        Assert.DoesNotContain("install.sh", notes);   // the Install section that follows
    }

    [Fact]
    public void A_heading_like_line_in_a_code_block_does_not_end_the_section_and_the_next_heading_does()
    {
        var result = RunOn("## On a GX\n\n### Which build\n\nTake this.\n\n```sh\n# not a heading\n```\n\n### Install\n\nnot in the notes\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Take this.\n\n```sh\n# not a heading\n```\n", result.Stdout);
    }

    [Fact]
    public void A_readme_without_the_section_fails()
    {
        var result = RunOn("# MeterBridge\n\n### Install\n\ntext\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no \"### Which build\" section", result.Output);
    }

    private static ShellResult RunOn(string readmeText)
    {
        string readme = Path.GetTempFileName();
        try
        {
            File.WriteAllText(readme, readmeText);
            return Shell.Run(Script, [readme]);
        }
        finally { File.Delete(readme); }
    }
}
