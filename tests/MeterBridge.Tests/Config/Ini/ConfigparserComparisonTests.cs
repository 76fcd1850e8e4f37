using System.Text;
using MeterBridge.Config;
using MeterBridge.Config.Ini;
using Xunit;

namespace MeterBridge.Tests.Config.Ini;

/// <summary>
/// Tricky config files read by Python's own configparser (as dbus-mqtt-grid reads them: <c>config.read(path)</c>,
/// UTF-8) and by ours: the same keys and values, the same interpolation failures, and where configparser refuses a
/// file, ours refuses it too, at the same line. Skipped, visibly, where there is no python3.
/// </summary>
public sealed class ConfigparserComparisonTests : IDisposable
{
    private readonly ConfigTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static readonly string[] Cases =
    [
        "[S]\na = 1\fb = 2\nc = 3\n",
        "[S]\na = 1\u0085b = 2\nc = 3\n",
        "[S]\na = 1\u2028b = 2\u2029c = 3\nd = 4\n",
        "[S]\na = 1\vb = 2\n\u001Cc = 3\n",
        "[S]\ra = 1\rb = 2\r\r  c\rd = 4",
        "[S]\r\na = 1\r\n\r\n  x\r\nb = 2\r\n",
        "[S]\na = 1\n\fb = 2\n",
        "[S]\n\u00A0k\u00A0=\u3000v\u3000\nt\t=\tw\t\n",
        "[S]\nk = first\n\tsecond\n\n   third\n; comment\n  # not a comment line?\nnext = 1\n",
        "[S]\nempty =\n  nested = x\n",
        "[S]\nurl: http://h:1/x\nk=v=w\nKey = V\n[s]\nKey: v2\n",
        "[DEFAULT]\nbase = home\n[S]\np = pa%%ss\nt = %(base)s/m\nbad = 50%\nmissing = %(nope)s\nref = %(BASE)s\n",
        "[S]\n" + Chain(9, "end") + Chain(10, "end").Replace("a", "b") + Chain(11, "end").Replace("a", "c"),
        "[S]\n" + Chain(9, "5%%") + Chain(10, "5%%").Replace("a", "b"),
        "[S]\nself = %(self)s\nhalf = %(\nnokey = %()s\nopen = %(x\n",
        "[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n[S]\nc = %(a)s%(b)s\n",
        "[S]\na = 1\n\n\nb = 2\n\n\n",
        "[S]\na = \u00E9\u20AC\U0001F600\n",
        "; only a comment\n\n[S]\n",
        "\n\n[S]\na = 1\nno delimiter\n",
        "[S]\na = 1\n\f\nb c\n",
        "[S]\na = 1\u2028\nb c\n",
        "a = 1\n[S]\n",
        "\u2028[S]\nb = 2\n",
        "[S]\na = 1\na = 2\n",
        "[S]\na = 1\r[S]\n",
        "[S]\n= v\n",
    ];

    private static string Chain(int length, string end) =>
        string.Concat(Enumerable.Range(0, length).Select(i => $"a{i} = %(a{i + 1})s\n")) + $"a{length} = {end}\n";

    [PythonFact]
    public void Configparser_and_ours_read_the_same()
    {
        var files = new List<(string Path, byte[] Bytes)>();
        for (int i = 0; i < Cases.Length; i++)
            files.Add((_files.Write($"case{i}.ini", Cases[i]), Encoding.UTF8.GetBytes(Cases[i])));
        string invalid = Path.Combine(_files.Folder, "invalid.ini");
        File.WriteAllBytes(invalid, [.. "[S]\r\na = 1\rb = 2\n\nc = caf"u8, 0xE9, .. "\n"u8]);
        files.Add((invalid, File.ReadAllBytes(invalid)));

        string[] python = RunConfigparser(files.Select(f => f.Path));
        var failures = new List<string>();
        for (int i = 0; i < files.Count; i++)
        {
            string ours = Ours(files[i].Path);
            if (ours != python[i])
                failures.Add($"{Escape(Encoding.UTF8.GetString(files[i].Bytes))}\n  configparser: {python[i]}\n  ours:         {ours}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>What our reader makes of the file, in the form the Python script prints.</summary>
    private static string Ours(string path)
    {
        if (ConfigFileText.TryRead(path, out string text) is { } problem)
            return "refused at line " + LineOf(problem);
        IniFile ini = IniFile.Parse(text, path);
        if (ini.Errors.Count > 0)
            return "refused at line " + ini.Errors[0].Line;
        var values = new List<string>();
        foreach (string section in new[] { IniFile.DefaultSectionName }.Concat(ini.Sections.Select(s => s.Name)))
        {
            var keys = ini.Section(section)!.Entries.Select(e => e.Key).ToList();
            if (section != IniFile.DefaultSectionName)
                keys.AddRange(ini.Defaults.Entries.Select(e => e.Key).Where(k => !keys.Contains(k)));
            foreach (string key in keys)
            {
                IniValue value = ini.Get(section, key)!;
                values.Add($"[{section}] {Escape(key)} = {(value.InterpolationError is null ? Escape(value.Value) : "(interpolation error)")}");
            }
        }
        return string.Join(" | ", values);
    }

    /// <summary>Printable ASCII as it is, every other code point as &lt;hex&gt;: the same in C# and Python.</summary>
    private static string Escape(string text) =>
        string.Concat(text.EnumerateRunes().Select(r => r.Value is >= 32 and < 127 and not '<' ? ((char)r.Value).ToString() : $"<{r.Value:x}>"));

    private static string LineOf(string problem)
    {
        string[] parts = problem.Split(':');
        return parts.Length > 1 && int.TryParse(parts[1], out int line) ? line.ToString() : "?";
    }

    private static readonly string Script = """
        import configparser, sys
        def escape(text):
            return ''.join(c if 32 <= ord(c) < 127 and c != '<' else '<%x>' % ord(c) for c in text)
        for path in sys.argv[1:]:
            data = open(path, 'rb').read()
            parser = configparser.ConfigParser()
            try:
                parser.read(path, encoding='utf-8')
            except UnicodeDecodeError as e:
                head = data[:e.start].replace(b'\r\n', b'\n').replace(b'\r', b'\n')
                print('refused at line %d' % (head.count(b'\n') + 1)); continue
            except (configparser.MissingSectionHeaderError, configparser.DuplicateOptionError, configparser.DuplicateSectionError) as e:
                print('refused at line %d' % e.lineno); continue
            except configparser.ParsingError as e:
                print('refused at line %d' % e.errors[0][0]); continue
            values = []
            for section in ['DEFAULT'] + parser.sections():
                for key in parser[section]:
                    try:
                        value = escape(parser[section][key])
                    except configparser.InterpolationError:
                        value = '(interpolation error)'
                    values.append('[%s] %s = %s' % (section, escape(key), value))
            print(' | '.join(values))
        """;

    private static string[] RunConfigparser(IEnumerable<string> paths)
    {
        var info = new System.Diagnostics.ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        foreach (string path in paths) info.ArgumentList.Add(path);
        using var process = System.Diagnostics.Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "python3: " + error);
        return output.Split('\n')[..^1];   // one line per file, maybe empty; the last '\n' ends the output
    }

    /// <summary>A fact that xunit reports as skipped (not passed) where python3 is not on the PATH.</summary>
    private sealed class PythonFactAttribute : FactAttribute
    {
        public PythonFactAttribute()
        {
            bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
                .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "python3")));
            if (!found)
                Skip = "python3 is not on the PATH: nothing to compare configparser with";
        }
    }
}
