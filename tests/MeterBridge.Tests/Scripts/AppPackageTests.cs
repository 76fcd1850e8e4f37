using MeterBridge.Tests.Infrastructure;
using System.Diagnostics;
using Xunit;

namespace MeterBridge.Tests.Scripts;

/// <summary>
/// The Venus OS app package: the app folder as the build lays it out (gx/make-app-folder.sh), and install.sh /
/// uninstall.sh of the app route against a temporary GX-like root: a fresh install, over the SSH route's meters,
/// an upgrade, an uninstall (each twice), the route chosen from the Venus OS version, and never two copies.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AppPackageTests
{
    private static readonly UnixFileMode Exec = (UnixFileMode)0b111_101_101;

    private static string TempDir() => Directory.CreateTempSubdirectory("mb-app-").FullName;

    [Fact]
    public void The_build_lays_out_the_app_folder_with_every_file_and_mode()
    {
        string outDir = TempDir();
        try
        {
            var made = GxRoot.MakeAppFolder(outDir, GxRoot.StubBinary);

            Assert.True(made.ExitCode == 0, made.ToString());
            string app = Path.Combine(outDir, "MeterBridge");
            var files = Directory.EnumerateFiles(app, "*", SearchOption.AllDirectories)
                .Select(f => $"{Path.GetRelativePath(app, f)} {Convert.ToString((int)File.GetUnixFileMode(f), 8)}")
                .Order(StringComparer.Ordinal);
            Assert.Equal([
                "INSTALL.md 644", "config.sample.ini 644", "gui-v2/MeterBridge.json 644", "install.sh 755",
                "meter-service/log/run 755", "meter-service/run 755", "meterbridge 755",
                "service/log/run 755", "service/run 755", "uninstall.sh 755"], files);
            Assert.Equal([app], Directory.GetDirectories(outDir));

            string run = File.ReadAllText(Path.Combine(app, "service", "run"));
            Assert.StartsWith("#!/bin/sh\n", run);
            Assert.Equal(["exec 2>&1", "exec ../meterbridge app --home /data/meterbridge"],
                run.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')));
            Assert.Equal("#!/bin/sh\nexec multilog t s25000 n4 /var/log/meterbridge\n", File.ReadAllText(Path.Combine(app, "service", "log", "run")));
            Assert.Equal(GxRoot.StandInPlugin + "\n", File.ReadAllText(Path.Combine(app, "gui-v2", "MeterBridge.json")));
            // The SSH route's meter service is the repository's service/, unchanged.
            Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "service", "run")), File.ReadAllText(Path.Combine(app, "meter-service", "run")));
            Assert.Equal(GxRoot.StubBinary, File.ReadAllText(Path.Combine(app, "meterbridge")));
            foreach (var name in new[] { "install.sh", "uninstall.sh", "INSTALL.md" })
                Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "gx", name)), File.ReadAllText(Path.Combine(app, name)));
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    [Fact]
    public void With_QML_pages_and_no_packer_the_build_fails_in_one_line_before_it_publishes()
    {
        string dir = TempDir();
        try
        {
            string qml = Path.Combine(dir, "gui-v2");
            Directory.CreateDirectory(qml);
            File.WriteAllText(Path.Combine(qml, "PageSettings.qml"), "import QtQuick\nItem {}\n");
            var env = new Dictionary<string, string> { ["MB_GUI_QML"] = qml, ["MB_GUI_PACKER"] = Path.Combine(dir, "no-packer.sh") };

            var check = Shell.Run(Path.Combine(RepoPaths.Root, "gx", "make-app-folder.sh"), ["--check"], env);
            var build = Shell.Run(Path.Combine(RepoPaths.Root, "build-linux-arm.sh"), ["x64"], env);

            foreach (var result in new[] { check, build })
            {
                Assert.Equal(1, result.ExitCode);
                string line = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.Equal($"make-app-folder.sh: {qml} has QML pages but {dir}/no-packer.sh is missing: cannot build the GUI plugin", line);
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("#!/bin/sh\necho broken >&2\nexit 4\n", "failed")]
    [InlineData("#!/bin/sh\n: > \"$1\"\n", "made no")]
    [InlineData("#!/bin/sh\necho '{\"name\": \"Other\"}' > \"$1\"\n", "does not say \"name\": \"MeterBridge\"")]
    public void A_packer_that_fails_or_makes_no_MeterBridge_plugin_fails_the_layout(string packer, string said)
    {
        string dir = TempDir();
        try
        {
            string script = Path.Combine(dir, "packer.sh");
            File.WriteAllText(script, packer);
            string binary = Path.Combine(dir, "bin");
            File.WriteAllText(binary, "x");
            Directory.CreateDirectory(Path.Combine(dir, "out"));

            var result = Shell.Run(Path.Combine(RepoPaths.Root, "gx", "make-app-folder.sh"), [binary, Path.Combine(dir, "out")],
                new Dictionary<string, string> { ["MB_GUI_PACKER"] = script });

            Assert.Equal(1, result.ExitCode);
            Assert.Contains(said, result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void With_no_QML_and_no_packer_the_folder_has_no_plugin_and_says_so()
    {
        string dir = TempDir();
        try
        {
            string binary = Path.Combine(dir, "bin");
            File.WriteAllText(binary, "x");
            Directory.CreateDirectory(Path.Combine(dir, "empty"));
            Directory.CreateDirectory(Path.Combine(dir, "out"));

            var result = Shell.Run(Path.Combine(RepoPaths.Root, "gx", "make-app-folder.sh"), [binary, Path.Combine(dir, "out")],
                new Dictionary<string, string> { ["MB_GUI_QML"] = Path.Combine(dir, "empty"), ["MB_GUI_PACKER"] = Path.Combine(dir, "none.sh") });

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("note: no GUI plugin", result.Stderr);
            Assert.False(Directory.Exists(Path.Combine(dir, "out", "MeterBridge", "gui-v2")));
            Assert.True(File.Exists(Path.Combine(dir, "out", "MeterBridge", "service", "run")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static void AssertAppInstalled(GxRoot gx)
    {
        Assert.Equal(gx.AppDir, new FileInfo(gx.AppEnabled).LinkTarget);
        Assert.Equal(gx.AppServiceDir, new FileInfo(gx.AppLink).LinkTarget);
        Assert.True(File.Exists(Path.Combine(gx.AppEnabled, "gui-v2", "MeterBridge.json")), "gui-v2 finds the plugin through the enabled link");
        Assert.Equal(["meterbridge"], gx.ServiceLinks);
        Assert.Equal(1, gx.RcLines.Count(l => l == GxRoot.AppRcLine));
        Assert.Equal("#!/bin/bash", gx.RcLines[0]);
        Assert.Equal(Exec, GxRoot.Mode(gx.RcLocal));
        gx.AssertNeverTwoCopies();
    }

    [Fact]
    public void The_app_on_a_fresh_GX_is_one_enabled_link_one_service_link_and_one_boot_line_and_twice_changes_nothing()
    {
        using var gx = new GxRoot(packageAt: GxRoot.AppFolder, venusVersion: "v3.70");

        var result = gx.Install();

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertAppInstalled(gx);
        Assert.Equal(["#!/bin/bash", GxRoot.AppRcLine], gx.RcLines);
        Assert.True(Directory.Exists(gx.Base), "the meters' home is there");
        Assert.Empty(Directory.GetFileSystemEntries(gx.Base));
        Assert.Contains("svc not found", result.Stdout);
        Assert.Contains("svstat not found", result.Stdout);
        string first = gx.Snapshot();

        var again = gx.Install();

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(first, gx.Snapshot());
    }

    [Fact]
    public void The_app_takes_over_from_the_SSH_route_stopping_its_meters_and_keeping_their_configs()
    {
        using var gx = new GxRoot(svcStubs: true, packageAt: GxRoot.AppFolder, venusVersion: "v3.70");
        File.WriteAllText(gx.RcLocal, "#!/bin/bash\necho mine\n");
        File.SetUnixFileMode(gx.RcLocal, Exec);
        Assert.Equal(0, gx.Install("--ssh").ExitCode);
        Assert.Equal(0, gx.Install("--instance", "101").ExitCode);
        Assert.Equal(["meterbridge-100", "meterbridge-101"], gx.ServiceLinks);
        GxRoot.SetConfigValue(gx.Config(101), "topic", "edited/by/user");
        foreach (int n in new[] { 100, 101 }) Directory.CreateDirectory(Path.Combine(gx.ServiceDir(n), "supervise"));
        string config100 = File.ReadAllText(gx.Config(100)), config101 = File.ReadAllText(gx.Config(101));

        var result = gx.Install();

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertAppInstalled(gx);
        Assert.Equal(["#!/bin/bash", "echo mine", GxRoot.AppRcLine], gx.RcLines);
        Assert.Equal(config100, File.ReadAllText(gx.Config(100)));
        Assert.Equal(config101, File.ReadAllText(gx.Config(101)));
        var calls = File.ReadAllLines(gx.SvcCalls);
        Assert.Contains($"svc -dx {gx.ServiceDir(100)} {gx.ServiceDir(100)}/log", calls);
        Assert.Contains($"svc -dx {gx.ServiceDir(101)} {gx.ServiceDir(101)}/log", calls);
        // The SSH meters are stopped before the app's link exists (svstat of the app comes last).
        Assert.True(Array.FindLastIndex(calls, c => c.StartsWith("svc -dx", StringComparison.Ordinal)) < Array.IndexOf(calls, $"svstat {gx.AppLink}"));
        Assert.Contains("takes each", result.Stdout);
        string first = gx.Snapshot();

        var again = gx.Install();

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(first, gx.Snapshot());
    }

    [Theory]
    [InlineData("--ssh")]
    [InlineData("--instance", "101")]
    public void The_SSH_route_is_refused_in_one_line_while_the_app_is_installed(params string[] args)
    {
        using var gx = new GxRoot(svcStubs: true, packageAt: GxRoot.AppFolder, venusVersion: "v3.70");
        Assert.Equal(0, gx.Install().ExitCode);
        string before = gx.Snapshot();

        var result = gx.Install(args);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("install.sh: the MeterBridge app is installed", line);
        Assert.Contains("uninstall.sh --app", line);
        Assert.Equal(before, gx.Snapshot());
        AssertAppInstalled(gx);
    }

    [Fact]
    public void An_upgrade_restarts_the_app_on_the_new_binary_and_keeps_everything_else()
    {
        using var gx = new GxRoot(svcStubs: true, packageAt: GxRoot.AppFolder, venusVersion: "v3.70");
        Assert.Equal(0, gx.Install().ExitCode);
        // What supervise and the app leave behind.
        Directory.CreateDirectory(Path.Combine(gx.AppServiceDir, "supervise"));
        File.WriteAllText(Path.Combine(gx.AppServiceDir, "supervise", "ok"), "");
        Directory.CreateDirectory(gx.MeterDir(100));
        File.WriteAllText(Path.Combine(gx.MeterDir(100), "app.ini"), "[DEFAULT]\ndevice_instance = 100\n");
        File.WriteAllText(gx.Config(100), "[DEFAULT]\ndevice_instance = 100\n");

        // The new tarball, as the build makes it, unpacked over the app folder with tar.
        string stage = TempDir();
        try
        {
            var made = GxRoot.MakeAppFolder(stage, "#!/bin/sh\necho new binary\n");
            Assert.True(made.ExitCode == 0, made.ToString());
            string unpack = Path.Combine(stage, "unpack.sh");
            File.WriteAllText(unpack, $"set -e\ntar -C '{stage}' -czf '{stage}/new.tar.gz' MeterBridge\ntar -xzf '{stage}/new.tar.gz' -C '{Path.GetDirectoryName(gx.AppDir)}'\n");
            var tar = Shell.Run(unpack, []);
            Assert.True(tar.ExitCode == 0, tar.ToString());
        }
        finally { Directory.Delete(stage, recursive: true); }
        string unpacked = gx.Snapshot();

        var upgrade = gx.Install();
        var again = gx.Install();

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(unpacked, gx.Snapshot());
        Assert.Equal("#!/bin/sh\necho new binary\n", File.ReadAllText(Path.Combine(gx.AppDir, "meterbridge")));
        Assert.True(File.Exists(Path.Combine(gx.AppServiceDir, "supervise", "ok")), "tar keeps supervise's files");
        Assert.Equal("[DEFAULT]\ndevice_instance = 100\n", File.ReadAllText(gx.Config(100)));
        Assert.Equal(2, File.ReadAllLines(gx.SvcCalls).Count(c => c == $"svc -t {gx.AppLink}"));
        AssertAppInstalled(gx);
    }

    [Fact]
    public void Unpacking_over_the_running_binary_writes_a_new_file_and_leaves_the_running_one_alone()
    {
        // The upgrade's first step, with this machine's tar (GNU; BusyBox's unlinks first too: ARCHIVE_UNLINK_OLD).
        string dir = TempDir();
        string app = Path.Combine(dir, "available", "MeterBridge");
        Directory.CreateDirectory(app);
        File.Copy("/usr/bin/sleep", Path.Combine(app, "meterbridge"));
        using var running = Process.Start(Path.Combine(app, "meterbridge"), "30");
        try
        {
            string script = Path.Combine(dir, "unpack.sh");
            File.WriteAllText(script, $"set -e\nmkdir -p '{dir}/new/MeterBridge'\ncp /bin/true '{dir}/new/MeterBridge/meterbridge'\n"
                + $"tar -C '{dir}/new' -czf '{dir}/new.tar.gz' MeterBridge\ntar -xzf '{dir}/new.tar.gz' -C '{dir}/available'\n");

            var result = Shell.Run(script, []);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(File.ReadAllBytes("/bin/true"), File.ReadAllBytes(Path.Combine(app, "meterbridge")));
            Assert.False(running.HasExited, "the running binary is not disturbed");
            Assert.Contains("meterbridge (deleted)", File.ReadAllText($"/proc/{running.Id}/maps"));
        }
        finally
        {
            running.Kill();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Uninstall_stops_the_app_removes_its_links_and_line_keeps_the_meters_files_and_twice_changes_nothing()
    {
        using var gx = new GxRoot(svcStubs: true, packageAt: GxRoot.AppFolder, venusVersion: "v3.70");
        Assert.Equal(0, gx.Install("--ssh").ExitCode);
        Assert.Equal(0, gx.Install().ExitCode);
        string installed = gx.Snapshot();
        Directory.CreateDirectory(Path.Combine(gx.AppServiceDir, "supervise"));
        string config = File.ReadAllText(gx.Config(100));

        var result = gx.Uninstall();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(gx.ServiceLinks);
        Assert.False(File.Exists(gx.AppEnabled) || Directory.Exists(gx.AppEnabled));
        Assert.Equal(["#!/bin/bash"], gx.RcLines);
        Assert.Equal(Exec, GxRoot.Mode(gx.RcLocal));
        Assert.Equal(config, File.ReadAllText(gx.Config(100)));
        Assert.True(File.Exists(Path.Combine(gx.AppDir, "meterbridge")), "the app folder stays");
        Assert.Contains($"svc -dx {gx.AppServiceDir} {gx.AppServiceDir}/log", File.ReadAllLines(gx.SvcCalls));
        string removed = gx.Snapshot();

        var again = gx.Uninstall("--app");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("the app was not installed", again.Stdout);
        Assert.Equal(removed, gx.Snapshot());

        // install.sh brings it back as it was (the SSH route's meter stays stopped: the app has it now).
        Directory.Delete(Path.Combine(gx.AppServiceDir, "supervise"));
        Assert.Equal(0, gx.Install().ExitCode);
        Assert.Equal(installed, gx.Snapshot());
    }

    [Theory]
    [InlineData("v3.60", "ssh")]
    [InlineData("v3.67~3", "ssh")]
    [InlineData("v2.92", "ssh")]
    [InlineData(null, "ssh")]
    [InlineData("garbage", "ssh")]
    [InlineData("v3.70", "app")]
    [InlineData("v3.70~12", "app")]
    [InlineData("v3.80\r", "app")]
    [InlineData("v4.00", "app")]
    public void From_the_app_folder_the_Venus_OS_version_chooses_the_route(string? version, string route)
    {
        using var gx = new GxRoot(packageAt: GxRoot.AppFolder, venusVersion: version);

        var result = gx.Install();

        Assert.True(result.ExitCode == 0, result.ToString());
        gx.AssertNeverTwoCopies();
        if (route == "app")
        {
            AssertAppInstalled(gx);
            Assert.False(Directory.Exists(gx.MeterDir(100)));
        }
        else
        {
            Assert.Equal(["meterbridge-100"], gx.ServiceLinks);
            Assert.Equal(["#!/bin/bash", GxRoot.RcLine(100)], gx.RcLines);
            Assert.False(File.Exists(gx.AppEnabled) || Directory.Exists(gx.AppEnabled));
            Assert.Contains(version is null or "garbage" ? "cannot tell the Venus OS version" : $"Venus OS {version} has no custom applications", result.Stdout);
            // The SSH route's own copy in /data/meterbridge: binary, scripts and the meter template, not the app's service.
            Assert.True(GxRoot.IsExecutable(Path.Combine(gx.Base, "meterbridge")));
            Assert.True(File.Exists(Path.Combine(gx.Base, "meter-service", "run")));
            Assert.False(Directory.Exists(Path.Combine(gx.Base, "service")));
            Assert.Equal("args=run --config ../config.ini",
                Shell.Run(Path.Combine(gx.Link(100), "run"), [], workingDirectory: gx.Link(100)).Stdout.Split('\n')[1]);
        }
    }

    [Fact]
    public void The_app_can_be_asked_for_on_an_older_Venus_OS_and_says_what_it_lacks()
    {
        using var gx = new GxRoot(packageAt: GxRoot.AppFolder, venusVersion: "v3.60");

        var result = gx.Install("--app");

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertAppInstalled(gx);
        Assert.Contains("v3.60 has no custom applications (v3.70+): the app runs, but the GUI shows no MeterBridge pages", result.Stdout);
        // Once installed, a plain run (the upgrade) stays the app.
        Assert.Equal(0, gx.Install().ExitCode);
        AssertAppInstalled(gx);
    }

    [Fact]
    public void The_app_is_refused_from_outside_the_app_folder_in_one_line()
    {
        using var gx = new GxRoot(packageAt: "tmp", venusVersion: "v3.70");
        string before = gx.Snapshot();

        var result = gx.Install("--app");

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("install.sh: the app runs from /data/apps/available/MeterBridge", line);
        Assert.Equal(before, gx.Snapshot());
    }

    [Fact]
    public void A_CRLF_rc_local_is_converted_for_the_app_too()
    {
        using var gx = new GxRoot(packageAt: GxRoot.AppFolder, venusVersion: "v3.70");
        File.WriteAllText(gx.RcLocal, "#!/bin/bash\r\necho mine\r\n");
        File.SetUnixFileMode(gx.RcLocal, Exec);

        var result = gx.Install();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"#!/bin/bash\necho mine\n{GxRoot.AppRcLine}\n", File.ReadAllText(gx.RcLocal));
        Assert.Contains("CRLF", result.Stdout);
    }

    [Theory]
    [InlineData("v3.70", true)]
    [InlineData("v3.80", false)]
    public void Before_v3_80_the_GUI_is_restarted_to_load_and_to_drop_the_plugin(string version, bool restarted)
    {
        using var gx = new GxRoot(svcStubs: true, packageAt: GxRoot.AppFolder, venusVersion: version);
        Directory.CreateDirectory(Path.Combine(gx.Root, "service", "start-gui"));

        Assert.Equal(0, gx.Install().ExitCode);
        Assert.Equal(0, gx.Uninstall().ExitCode);

        int restarts = File.ReadAllLines(gx.SvcCalls).Count(c => c == $"svc -t {gx.Root}/service/start-gui");
        Assert.Equal(restarted ? 2 : 0, restarts);
    }

    [Fact]
    public void The_run_scripts_exec_meterbridge_app_from_the_app_folder_and_multilog_to_var_log_meterbridge()
    {
        using var gx = new GxRoot(packageAt: GxRoot.AppFolder, venusVersion: "v3.70");
        Assert.Equal(0, gx.Install().ExitCode);
        File.WriteAllText(Path.Combine(gx.Bin, "multilog"), "#!/bin/sh\necho \"multilog $* cwd=$(pwd -P)\"\n");
        File.SetUnixFileMode(Path.Combine(gx.Bin, "multilog"), Exec);

        // supervise runs ./run from inside /service/meterbridge, which is a link.
        var run = Shell.Run(Path.Combine(gx.AppLink, "run"), [], workingDirectory: gx.AppLink);
        var log = Shell.Run(Path.Combine(gx.AppLink, "log", "run"), [], new Dictionary<string, string> { ["PATH"] = gx.Bin },
            workingDirectory: Path.Combine(gx.AppLink, "log"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"cwd={gx.AppServiceDir}\nargs=app --home /data/meterbridge\n", run.Stdout);
        Assert.True(log.ExitCode == 0, log.ToString());
        Assert.Equal($"multilog t s25000 n4 /var/log/meterbridge cwd={gx.AppServiceDir}/log\n", log.Stdout);
    }

    [Fact]
    public void Under_real_daemontools_the_app_runs_is_restarted_on_the_new_binary_and_stopped()
    {
        using var gx = new GxRoot(packageAt: GxRoot.AppFolder, venusVersion: "v3.70");
        gx.UseRealDaemontools();
        string starts = Path.Combine(gx.Root, "..", "starts.txt");
        void WriteBinary(string version)
        {
            // A new inode, as tar writes it: the running one is not touched.
            string next = Path.Combine(gx.AppDir, "meterbridge.next");
            File.WriteAllText(next, $"#!/bin/sh\necho \"{version} cwd=$(pwd -P) args=$*\" >> '{starts}'\nexec sleep 60\n");
            File.SetUnixFileMode(next, Exec);
            File.Move(next, Path.Combine(gx.AppDir, "meterbridge"), overwrite: true);
        }
        WriteBinary("v1");
        var install = gx.Install();
        Assert.True(install.ExitCode == 0, install.ToString());

        // What svscan does with the new link: a supervise in it.
        using var supervise = Process.Start(new ProcessStartInfo("supervise") { ArgumentList = { gx.AppLink }, UseShellExecute = false })!;
        try
        {
            WaitFor(() => Lines(starts).Length == 1);
            Assert.Equal($"v1 cwd={gx.AppServiceDir} args=app --home /data/meterbridge", Lines(starts)[0]);

            WriteBinary("v2");
            var upgrade = gx.Install();
            Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
            Assert.Contains("restarted meterbridge", upgrade.Stdout);
            WaitFor(() => Lines(starts).Length == 2);
            Assert.StartsWith("v2 ", Lines(starts)[1]);

            var uninstall = gx.Uninstall();
            Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
            Assert.True(supervise.WaitForExit(10_000), "svc -dx ends supervise");
            Assert.Equal(2, Lines(starts).Length);
        }
        finally
        {
            if (!supervise.HasExited) supervise.Kill(entireProcessTree: true);
        }
    }

    private static string[] Lines(string file) => File.Exists(file) ? File.ReadAllLines(file) : [];

    private static void WaitFor(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException("not within 15 s");
            Thread.Sleep(50);
        }
    }
}
