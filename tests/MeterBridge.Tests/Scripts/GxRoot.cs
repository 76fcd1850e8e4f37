using MeterBridge.Tests.Infrastructure;
using System.Security.Cryptography;
using System.Text;

namespace MeterBridge.Tests.Scripts;

/// <summary>
/// A temporary directory laid out like a GX (<c>/data</c>, <c>/service</c>) with the release's app folder, laid
/// out by gx/make-app-folder.sh (the build's own step) around a fake binary, unpacked in <c>/data/meterbridge</c>
/// (the SSH route's copy: the default), in <c>/data/apps/available/MeterBridge</c> (<see cref="AppFolder"/>) or
/// elsewhere; and a PATH that has the usual tools but not <c>svc</c>/<c>svstat</c> (unless stubs are asked
/// for, which record their calls). The GUI plugin is a stand-in JSON from a stand-in packer.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GxRoot : IDisposable
{
    private static readonly string[] Tools =
        ["bash", "sh", "cat", "chmod", "cp", "ln", "mkdir", "mv", "rm", "grep", "sed", "readlink", "dirname", "tail", "sleep", "sort", "cmp", "ls", "pwd"];

    private readonly string _temp;

    /// <summary>Where <c>packageAt</c> puts the package into the app folder, as the app route says.</summary>
    public const string AppFolder = "app folder";

    /// <summary>The boot line of the app.</summary>
    public const string AppRcLine = "ln -sfn /data/apps/available/MeterBridge/service /service/meterbridge";

    public GxRoot(bool svcStubs = false, string? packageAt = null, string? venusVersion = null)
    {
        _temp = Directory.CreateTempSubdirectory("gx-root-").FullName;
        Root = System.IO.Path.Combine(_temp, "root");
        Directory.CreateDirectory(System.IO.Path.Combine(Root, "data"));
        Directory.CreateDirectory(System.IO.Path.Combine(Root, "service"));
        Package = packageAt switch
        {
            null => Base,
            AppFolder => AppDir,
            _ => System.IO.Path.Combine(_temp, packageAt, "MeterBridge"),
        };
        WritePackage(Package);
        if (venusVersion is not null) SetVenusVersion(venusVersion);
        Bin = System.IO.Path.Combine(_temp, "bin");
        Directory.CreateDirectory(Bin);
        foreach (var tool in Tools) LinkTool(tool);
        if (svcStubs)
        {
            WriteExecutable(System.IO.Path.Combine(Bin, "svc"), $"#!/bin/sh\necho \"svc $*\" >> {SvcCalls}\n");
            WriteExecutable(System.IO.Path.Combine(Bin, "svstat"), $"#!/bin/sh\necho \"svstat $*\" >> {SvcCalls}\necho \"$1: up (pid 1) 1 seconds\"\n");
        }
    }

    public string Root { get; }
    public string Bin { get; }
    /// <summary>Where the package was unpacked (and where install.sh runs from).</summary>
    public string Package { get; }
    public string Base => System.IO.Path.Combine(Root, "data", "meterbridge");
    public string RcLocal => System.IO.Path.Combine(Root, "data", "rc.local");
    public string SvcCalls => System.IO.Path.Combine(_temp, "svc-calls.txt");

    public string AppDir => System.IO.Path.Combine(Root, "data", "apps", "available", "MeterBridge");
    public string AppEnabled => System.IO.Path.Combine(Root, "data", "apps", "enabled", "MeterBridge");
    public string AppLink => System.IO.Path.Combine(Root, "service", "meterbridge");
    public string AppServiceDir => System.IO.Path.Combine(AppDir, "service");

    /// <summary>Writes /opt/victronenergy/version as Venus OS has it: the version, then the build's time stamp.</summary>
    public void SetVenusVersion(string version)
    {
        string dir = System.IO.Path.Combine(Root, "opt", "victronenergy");
        Directory.CreateDirectory(dir);
        File.WriteAllText(System.IO.Path.Combine(dir, "version"), $"{version}\n20250826133814\n{version}\n");
    }

    /// <summary>The service links there are now: <c>meterbridge</c> (the app) and <c>meterbridge-N</c> (the SSH route).</summary>
    public string[] ServiceLinks =>
        [.. new DirectoryInfo(System.IO.Path.Combine(Root, "service")).EnumerateFileSystemInfos()
            .Where(e => e.LinkTarget is not null && e.Name.StartsWith("meterbridge", StringComparison.Ordinal))
            .Select(e => e.Name).Order(StringComparer.Ordinal)];

    /// <summary>Never two copies: not the app's service and a meter's service of the SSH route at once, not in
    /// /service and not in rc.local (which makes them at boot).</summary>
    public void AssertNeverTwoCopies()
    {
        bool app = ServiceLinks.Contains("meterbridge") || RcLines.Contains(AppRcLine);
        bool ssh = ServiceLinks.Any(l => l != "meterbridge") || RcLines.Any(l => l.StartsWith("ln -sfn /data/meterbridge/meter-", StringComparison.Ordinal));
        Xunit.Assert.False(app && ssh, $"the app and SSH-route meters at once: {string.Join(", ", ServiceLinks)} / {string.Join(" | ", RcLines)}");
    }

    public string MeterDir(int n) => System.IO.Path.Combine(Base, $"meter-{n}");
    public string Config(int n) => System.IO.Path.Combine(MeterDir(n), "config.ini");
    public string ServiceDir(int n) => System.IO.Path.Combine(MeterDir(n), "service");
    public string Link(int n) => System.IO.Path.Combine(Root, "service", $"meterbridge-{n}");
    public static string RcLine(int n) => $"ln -sfn /data/meterbridge/meter-{n}/service /service/meterbridge-{n}";

    public ShellResult Install(params string[] args) => RunScript("install.sh", args);

    public ShellResult Uninstall(params string[] args) => RunScript("uninstall.sh", args);

    public ShellResult RunScript(string name, string[] args) =>
        Shell.Run(System.IO.Path.Combine(Package, name), [.. args, "--root", Root], new Dictionary<string, string> { ["PATH"] = Bin });

    /// <summary>Puts this machine's real daemontools svc and svstat on the script's PATH (Debian's package).</summary>
    public void UseRealDaemontools()
    {
        foreach (var tool in new[] { "svc", "svstat" }) LinkTool(tool);
    }

    public string[] RcLines => File.Exists(RcLocal) ? File.ReadAllLines(RcLocal) : [];

    public int RcCount(int n) => RcLines.Count(line => line == RcLine(n));

    public static UnixFileMode Mode(string path) => File.GetUnixFileMode(path);

    public static bool IsExecutable(string path) => (Mode(path) & UnixFileMode.UserExecute) != 0;

    /// <summary>Every file, folder and link below the root with its mode, link target and content hash.</summary>
    public string Snapshot()
    {
        var lines = new List<string>();
        foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            string what = entry.LinkTarget is { } target ? "-> " + target
                : entry is FileInfo file ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file.FullName)))
                : "dir";
            lines.Add($"{System.IO.Path.GetRelativePath(Root, entry.FullName)} {entry.UnixFileMode} {what}");
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    public static string ConfigValue(string file, string key) =>
        File.ReadAllLines(file).Select(l => l.Split('=', 2)).Where(p => p.Length == 2 && p[0].Trim() == key)
            .Select(p => p[1].Trim()).Single();

    public static void SetConfigValue(string file, string key, string value) =>
        File.WriteAllLines(file, File.ReadAllLines(file).Select(l => l.Split('=', 2) is [var k, _] && k.Trim() == key ? $"{key} = {value}" : l));

    public void Dispose()
    {
        try { Directory.Delete(_temp, recursive: true); } catch (IOException) { }
    }

    /// <summary>The stand-in packer (until scripts/pack-gui-plugin.sh is there, and so that these tests need no Qt):
    /// writes a JSON with the plugin's name, as the real one does.</summary>
    public const string StandInPlugin = "{\"name\": \"MeterBridge\", \"version\": \"0.0.0-stand-in\", \"integrations\": [], \"resource\": \"\"}";

    /// <summary>Runs gx/make-app-folder.sh, the build's own step, with a stand-in packer and a stand-in binary
    /// that tells where it runs and which config it was given.</summary>
    public static ShellResult MakeAppFolder(string outDir, string binaryText, IDictionary<string, string>? env = null)
    {
        string tools = Directory.CreateTempSubdirectory("mb-app-folder-").FullName;
        try
        {
            string binary = System.IO.Path.Combine(tools, "meterbridge");
            WriteExecutable(binary, binaryText);
            string packer = System.IO.Path.Combine(tools, "pack-gui-plugin.sh");
            WriteExecutable(packer, $"#!/bin/sh\nprintf '%s\\n' '{StandInPlugin}' > \"$1\"\n");
            var all = new Dictionary<string, string> { ["MB_GUI_PACKER"] = packer };
            if (env is not null) foreach (var (k, v) in env) all[k] = v;
            return Shell.Run(System.IO.Path.Combine(RepoPaths.Root, "gx", "make-app-folder.sh"), [binary, outDir], all);
        }
        finally { Directory.Delete(tools, recursive: true); }
    }

    public const string StubBinary =
        "#!/bin/sh\necho \"cwd=$(pwd -P)\"\necho \"args=$*\"\nwhile [ $# -gt 0 ]; do [ \"$1\" = --config ] && cat \"$2\"; shift; done\n";

    private void WritePackage(string dir)
    {
        string stage = System.IO.Path.Combine(_temp, "stage");
        Directory.CreateDirectory(stage);
        var made = MakeAppFolder(stage, StubBinary);
        if (made.ExitCode != 0) throw new InvalidOperationException($"gx/make-app-folder.sh failed: {made}");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(dir)!);
        Directory.Move(System.IO.Path.Combine(stage, "MeterBridge"), dir);
        Directory.Delete(stage);
    }

    private static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text, new UTF8Encoding(false));
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    private void LinkTool(string tool)
    {
        foreach (var dir in new[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin" })
        {
            string path = System.IO.Path.Combine(dir, tool);
            if (!File.Exists(path)) continue;
            File.CreateSymbolicLink(System.IO.Path.Combine(Bin, tool), path);
            return;
        }
        throw new InvalidOperationException($"{tool} not found");
    }
}
