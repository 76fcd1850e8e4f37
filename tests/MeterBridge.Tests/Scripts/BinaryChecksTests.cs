using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Scripts;

/// <summary>ci/binary-checks.sh, the checks both ARM CI checks run on a built binary, on real ELF files of this machine.</summary>
public sealed class BinaryChecksTests
{
    private const string ArmhfLibc = "/usr/arm-linux-gnueabihf/lib/libc.so.6";   // libc6-armhf-cross (scripts/setup.sh)

    /// <summary>Sources the checks and runs one; returns its output and the failure count.</summary>
    private static (string Output, int Failures) Check(string check)
    {
        string script = Path.Combine(Directory.CreateTempSubdirectory("mb-checks-").FullName, "check.sh");
        File.WriteAllText(script, $"source ci/binary-checks.sh\n{check}\necho \"failures=$failures\"\n");
        try
        {
            var result = Shell.Run(script, [], workingDirectory: RepoPaths.Root);
            Assert.Equal(0, result.ExitCode);
            string last = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
            return (result.Output, int.Parse(last["failures=".Length..]));
        }
        finally { Directory.Delete(Path.GetDirectoryName(script)!, recursive: true); }
    }

    [Fact]
    public void An_armhf_ELF_passes_the_armhf_check()
    {
        Assert.True(File.Exists(ArmhfLibc), $"{ArmhfLibc} is missing: run scripts/setup.sh");
        var (output, failures) = Check($"check_elf_armhf {ArmhfLibc}");
        Assert.Equal(0, failures);
        Assert.Contains("ok: ELF 32-bit ARM, EABI5, hard-float", output);
    }

    [Theory]
    [InlineData("/bin/ls", "ELF64")]                                        // this machine's x86-64
    [InlineData("/usr/aarch64-linux-gnu/lib/libc.so.6", "AArch64")]          // the arm64 build's kind
    [InlineData("/etc/passwd", "not an ELF file")]
    public void Anything_else_fails_the_armhf_check(string file, string said)
    {
        var (output, failures) = Check($"check_elf_armhf {file}");
        Assert.Equal(1, failures);
        Assert.Contains(said, output);
    }

    [Fact]
    public void A_static_build_must_have_no_interpreter_and_need_no_glibc()
    {
        // Debian's ldconfig is a static executable; ls is dynamic.
        Assert.Equal(0, Check("check_glibc /sbin/ldconfig none").Failures);
        var (output, failures) = Check("check_glibc /bin/ls none");
        Assert.Equal(1, failures);
        Assert.Contains("a static build has a program interpreter", output);
    }

    [Fact]
    public void The_glibc_floor_and_the_size_limit_fail_when_exceeded()
    {
        Assert.Equal(0, Check($"check_glibc {ArmhfLibc} 2.36").Failures);   // Debian 12's glibc needs at most itself
        Assert.Equal(1, Check("check_glibc /bin/ls 2.0").Failures);
        Assert.Equal(0, Check("check_size /bin/ls 8388608").Failures);
        Assert.Equal(1, Check("check_size /bin/ls 100").Failures);
    }
}
