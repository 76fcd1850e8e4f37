namespace MeterBridge.Config.Ini;

/// <summary>
/// An ini file read the way Python's <c>configparser.ConfigParser()</c> reads it, so a <c>config.ini</c> written for
/// <c>dbus-mqtt-grid</c> means the same here: <c>[section]</c> headers (names case-sensitive), <c>key = value</c> or
/// <c>key: value</c> (split at the first delimiter, keys lower-cased, both sides trimmed), whole-line comments
/// starting with <c>;</c> or <c>#</c> (no inline comments: <c>a = b ; c</c> has the value <c>b ; c</c>), indented lines
/// continuing the value above, <c>[DEFAULT]</c> keys visible in every section, and <c>%%</c> / <c>%(key)s</c>
/// interpolation on lookup. Where configparser would stop at the first problem this keeps going and lists them all.
/// </summary>
internal sealed class IniFile
{
    public const string DefaultSectionName = "DEFAULT";
    /// <summary>More problems than this are summed up in one line: a file that is not an ini file at all (a log,
    /// a binary) must give a short answer, not a long list that the 32 MiB heap has to hold.</summary>
    public const int MaxErrors = 50;

    private readonly List<IniSection> _sections = [];
    private readonly List<IniError> _errors = [];

    private IniFile(string fileName)
    {
        FileName = fileName;
        Defaults = new IniSection(DefaultSectionName, 0);
    }

    /// <summary>The name used in messages: <c>config.ini:12: ...</c>.</summary>
    public string FileName { get; }
    public IniSection Defaults { get; }
    /// <summary>The sections other than DEFAULT, in file order.</summary>
    public IReadOnlyList<IniSection> Sections => _sections;
    /// <summary>Lines configparser would refuse, in file order, at most <see cref="MaxErrors"/> and one that says so.</summary>
    public IReadOnlyList<IniError> Errors => _errors;

    public static IniFile Read(string path) => Parse(File.ReadAllText(path), path);

    public IniSection? Section(string name) =>
        name == DefaultSectionName ? Defaults : _sections.Find(s => s.Name == name);

    /// <summary>The key as configparser's <c>config[section][key]</c> sees it: the section's own, else DEFAULT's.
    /// A section the file does not have shows just the DEFAULT keys.</summary>
    public IniValue? Get(string section, string key)
    {
        IniEntry? entry = Find(section, key.ToLowerInvariant());
        if (entry is null)
            return null;
        string? error = IniInterpolation.Expand(entry.RawValue, k => Find(section, k)?.RawValue, out string value);
        return new IniValue(entry, error is null ? value : entry.RawValue, error);
    }

    private IniEntry? Find(string section, string key)
    {
        if (Section(section) is { } own && own.TryGet(key, out IniEntry entry))
            return entry;
        return Defaults.TryGet(key, out IniEntry fallback) ? fallback : null;
    }

    public static IniFile Parse(string text, string fileName)
    {
        var file = new IniFile(fileName);
        new Reader(file).ReadAll(text);
        return file;
    }

    /// <summary>The line loop of configparser's <c>_read</c>, state kept between lines.</summary>
    private sealed class Reader(IniFile file)
    {
        private IniSection? _section;
        private readonly HashSet<string> _sectionsSeen = new(StringComparer.Ordinal);
        private readonly HashSet<(string, string)> _keysSeen = [];
        private string? _key;
        private int _keyLine;
        private int _keyIndent;
        private readonly List<string> _valueLines = [];

        public void ReadAll(string text)
        {
            if (text.StartsWith('\uFEFF'))
                text = text[1..];
            List<string> lines = IniText.Lines(text);
            for (int i = 0; i < lines.Count; i++)
                ReadLine(lines[i], i + 1);
            EndValue();
        }

        private void ReadLine(string line, int number)
        {
            string value = IniText.Strip(line);
            if (value.StartsWith(';') || value.StartsWith('#'))
                return; // a comment neither ends nor extends a value
            if (value.Length == 0)
            {
                if (_key is not null)
                    _valueLines.Add(""); // kept only if an indented line follows
                return;
            }

            int indent = IniText.Indent(line);
            if (_key is not null && indent > _keyIndent)
            {
                _valueLines.Add(value);
                return;
            }

            EndValue();
            _keyIndent = indent;
            if (value.StartsWith('[') && value.LastIndexOf(']') > 1)
                StartSection(value[1..value.LastIndexOf(']')], number);
            else if (_section is null)
                Error(number, "comes before the first [section] header", value);
            else
                StartKey(value, number);
        }

        private void StartSection(string name, int number)
        {
            if (name == DefaultSectionName)
            {
                _section = file.Defaults; // configparser allows [DEFAULT] more than once
                return;
            }
            if (!_sectionsSeen.Add(name))
                Error(number, $"section [{name}] appears a second time");
            _section = file._sections.Find(s => s.Name == name);
            if (_section is null)
            {
                _section = new IniSection(name, number);
                file._sections.Add(_section);
            }
        }

        private void StartKey(string value, int number)
        {
            int delimiter = value.IndexOfAny(['=', ':']);
            string key = delimiter < 0 ? "" : IniText.StripEnd(value[..delimiter]).ToLowerInvariant();
            if (key.Length == 0)
            {
                Error(number, delimiter < 0
                    ? "is not \"key = value\", a [section] header or a comment"
                    : $"has no key before '{value[delimiter]}'", value);
                return;
            }
            if (!_keysSeen.Add((_section!.Name, key)))
                Error(number, $"{key} appears a second time in [{_section.Name}]");
            _key = key;
            _keyLine = number;
            _valueLines.Clear();
            _valueLines.Add(IniText.Strip(value[(delimiter + 1)..]));
        }

        private void EndValue()
        {
            if (_key is null)
                return;
            string joined = IniText.StripEnd(string.Join('\n', _valueLines));
            _section!.Set(new IniEntry(_section.Name, _key, joined, _keyLine));
            _key = null;
        }

        private void Error(int number, string phrase, string? line = null)
        {
            if (file._errors.Count < MaxErrors)
                file._errors.Add(new IniError(number, phrase, line));
            else if (file._errors.Count == MaxErrors)
                file._errors.Add(new IniError(number, "more problems from here on are not listed (is this an ini file?)"));
        }
    }
}

/// <summary>A key looked up in a section: its entry and its value after <c>%</c> interpolation,
/// or the reason the interpolation failed (then <see cref="Value"/> is the raw text).</summary>
internal sealed record IniValue(IniEntry Entry, string Value, string? InterpolationError);

/// <summary>
/// A line configparser would refuse, as data: its number, what is wrong, and the line's text when the phrase is about it.
/// The caller words it (<c>config.ini:7: "x" is not …</c>), since only it knows what a line must not show (a password).
/// </summary>
/// <param name="Text">The offending line, stripped; the phrase follows it. Null when the phrase stands alone.</param>
internal sealed record IniError(int Line, string Phrase, string? Text = null);
