using MeterBridge.Tests.Infrastructure;
using MeterBridge.Tests.Scripts;

namespace MeterBridge.Tests.Gui;

/// <summary>
/// One run of tests/gui/run.sh (qmltestrunner on every page, both backends) shared by the tests that read its
/// output: the uids the pages read, the writes, the screenshots.
/// </summary>
public sealed class GuiRun : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("mb-gui-").FullName;
    public ShellResult Result { get; }

    public GuiRun()
    {
        Result = Shell.Run(Path.Combine(RepoPaths.Root, "tests", "gui", "run.sh"), [Dir], timeoutSeconds: 300);
    }

    public string[] Lines(string file) => File.ReadAllLines(Path.Combine(Dir, file)).Where(l => l.Length > 0).ToArray();

    public string Output => File.ReadAllText(Path.Combine(Dir, "qmltestrunner.txt"));

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
