using MeterBridge.Tests.Infrastructure;
using System.Security.Cryptography;
using System.Text;

namespace MeterBridge.Tests.Scripts;

/// <summary>
/// A temporary directory laid out like a GX (<c>/data</c>, <c>/service</c>) with the release package unpacked
/// in <c>/data/meterbridge</c> as INSTALL.md says, a fake binary, and a PATH that has the usual tools but
/// not <c>svc</c>/<c>svstat</c> (unless stubs are asked for, which record their calls).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GxRoot : IDisposable
{
    private static readonly string[] Tools =
        ["bash", "sh", "cat", "chmod", "cp", "ln", "mkdir", "mv", "rm", "grep", "sed", "readlink", "dirname", "tail", "sleep", "sort", "cmp", "ls", "pwd"];

    private readonly string _temp;

    public GxRoot(bool svcStubs = false, string? packageAt = null)
    {
        _temp = Directory.CreateTempSubdirectory("gx-root-").FullName;
        Root = System.IO.Path.Combine(_temp, "root");
        Directory.CreateDirectory(System.IO.Path.Combine(Root, "data"));
        Directory.CreateDirectory(System.IO.Path.Combine(Root, "service"));
        Package = packageAt is null ? Base : System.IO.Path.Combine(_temp, packageAt, "meterbridge");
        WritePackage(Package);
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

    public string MeterDir(int n) => System.IO.Path.Combine(Base, $"meter-{n}");
    public string Config(int n) => System.IO.Path.Combine(MeterDir(n), "config.ini");
    public string ServiceDir(int n) => System.IO.Path.Combine(MeterDir(n), "service");
    public string Link(int n) => System.IO.Path.Combine(Root, "service", $"meterbridge-{n}");
    public static string RcLine(int n) => $"ln -sfn /data/meterbridge/meter-{n}/service /service/meterbridge-{n}";

    public ShellResult Install(params string[] args) => RunScript("install.sh", args);

    public ShellResult Uninstall(params string[] args) => RunScript("uninstall.sh", args);

    public ShellResult RunScript(string name, string[] args) =>
        Shell.Run(System.IO.Path.Combine(Package, name), [.. args, "--root", Root], new Dictionary<string, string> { ["PATH"] = Bin });

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

    private static void WritePackage(string dir)
    {
        string repo = RepoPaths.Root;
        Directory.CreateDirectory(System.IO.Path.Combine(dir, "service", "log"));
        foreach (var name in new[] { "install.sh", "uninstall.sh", "INSTALL.md" })
            File.Copy(System.IO.Path.Combine(repo, "gx", name), System.IO.Path.Combine(dir, name));
        File.Copy(System.IO.Path.Combine(repo, "config.sample.ini"), System.IO.Path.Combine(dir, "config.sample.ini"));
        File.Copy(System.IO.Path.Combine(repo, "service", "run"), System.IO.Path.Combine(dir, "service", "run"));
        File.Copy(System.IO.Path.Combine(repo, "service", "log", "run"), System.IO.Path.Combine(dir, "service", "log", "run"));
        // Stands in for the binary: tells where it runs and which config it was given.
        WriteExecutable(System.IO.Path.Combine(dir, "meterbridge"),
            "#!/bin/sh\necho \"cwd=$(pwd -P)\"\necho \"args=$*\"\nwhile [ $# -gt 0 ]; do [ \"$1\" = --config ] && cat \"$2\"; shift; done\n");
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
