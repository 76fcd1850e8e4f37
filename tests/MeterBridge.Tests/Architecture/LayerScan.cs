using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MeterBridge.Tests.Architecture;

/// <summary>
/// Which of our namespaces names which, read from the source text (no compiler): each file's namespace, the top-level
/// types each namespace declares, and per file, with comments and literal text stripped (<see cref="CodeText"/>),
/// its <c>using MeterBridge.X</c> lines, its qualified names (<c>Sources.MappedDecoder</c>) and every identifier that is
/// another namespace's type. A member access (<c>MeterPaths.Role</c>) is a member, not the type of that name.
/// </summary>
public sealed partial class LayerScan
{
    public const string GlobalNamespace = "(global)";

    private readonly Dictionary<string, HashSet<string>> _edges = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), List<string>> _evidence = [];

    /// <summary>Each of our namespaces and the others it names.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Edges => _edges;

    /// <summary>Type name → the namespaces that declare a top-level type of that name (more than one is a collision).</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Types { get; }

    public IEnumerable<string> Namespaces => _edges.Keys;

    /// <summary>The product files: the Compile items of MeterBridge.csproj (a path, or <c>Folder/**/*.cs</c>).</summary>
    public static IReadOnlyList<string> ProductFiles(string root)
    {
        var project = XDocument.Load(Path.Combine(root, "MeterBridge.csproj"));
        var files = new List<string>();
        foreach (var item in project.Descendants("Compile"))
            foreach (string pattern in ((string?)item.Attribute("Include") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int wildcard = pattern.IndexOf("/**", StringComparison.Ordinal);
                if (wildcard < 0)
                    files.Add(Path.Combine(root, pattern));
                else if (Directory.Exists(Path.Combine(root, pattern[..wildcard])))
                    files.AddRange(Directory.EnumerateFiles(Path.Combine(root, pattern[..wildcard]), "*.cs", SearchOption.AllDirectories));
            }
        return [.. files.Select(Path.GetFullPath).Distinct().Order(StringComparer.Ordinal)];
    }

    public static LayerScan Of(string root) =>
        new(ProductFiles(root).Select(path => (Path.GetRelativePath(root, path), File.ReadAllText(path))));

    /// <param name="files">Each file's name (for messages) and text.</param>
    public LayerScan(IEnumerable<(string Name, string Text)> files)
    {
        var parsed = files.Select(file => Parse(file.Name, file.Text)).ToList();
        var types = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var file in parsed)
        {
            _edges.TryAdd(file.Namespace, new HashSet<string>(StringComparer.Ordinal));
            foreach (string type in file.Declares)
            {
                if (!types.TryGetValue(type, out var homes)) types[type] = homes = new SortedSet<string>(StringComparer.Ordinal);
                homes.Add(file.Namespace);
            }
        }
        Types = types;
        foreach (var file in parsed) FindUses(file);
    }

    private sealed record ParsedFile(string Name, string Namespace, string Code, List<string> Usings, List<string> Declares);

    private static ParsedFile Parse(string name, string text)
    {
        string code = CodeText.Strip(text);
        var declaration = NamespaceDeclaration().Match(code);
        string space = declaration.Success ? declaration.Groups[1].Value : GlobalNamespace;
        int baseDepth = declaration.Success && !declaration.Value.TrimEnd().EndsWith(';') ? 1 : 0;

        var usings = new List<string>();
        foreach (Match directive in UsingDirective().Matches(code)) usings.Add(directive.Groups[1].Value);
        // The namespace line and the usings are read; what is left is the code whose identifiers count.
        code = UsingDirective().Replace(code, m => new string(' ', m.Length));
        if (declaration.Success)
        {
            int length = declaration.Groups[1].Index + declaration.Groups[1].Length - declaration.Index; // the brace of a block namespace stays
            code = code.Remove(declaration.Index, length).Insert(declaration.Index, new string(' ', length));
        }

        var declares = new List<string>();
        foreach (Match type in TypeDeclaration().Matches(code))
            if (Depth(code, type.Index) == baseDepth) declares.Add(type.Groups[1].Value);
        return new ParsedFile(name, space, code, usings, declares);
    }

    private void FindUses(ParsedFile file)
    {
        foreach (string target in file.Usings)
            if (Resolve(target, file.Namespace, allowPrefix: true) is { } space) Add(file, space, "using " + target);

        var tokens = Token().Matches(file.Code);
        for (int k = 0; k < tokens.Count; k++)
        {
            Match token = tokens[k];
            string name = token.Value;
            if (!(char.IsLetter(name[0]) || name[0] == '_')) continue;
            string? qualifier = Qualifier(file.Code, token.Index);
            if (qualifier is not null)
            {
                // A.B.Name: a use of namespace A.B when that is ours (and A.B.Name is not itself one); else a member.
                if (qualifier.Length > 0
                    && Resolve(qualifier + "." + name, file.Namespace, allowPrefix: false) is null
                    && Resolve(qualifier, file.Namespace, allowPrefix: false) is { } space)
                    Add(file, space, qualifier + "." + name);
                continue;
            }
            if (IsDeclaredName(k > 0 ? tokens[k - 1].Value : "", k + 1 < tokens.Count ? tokens[k + 1].Value : "")) continue;
            if (Types.TryGetValue(name, out var homes))
                foreach (string home in homes)
                    Add(file, home, name);
        }
    }

    /// <summary>
    /// Whether an identifier between these tokens is a name being declared, not a type being used: after <c>class</c> and
    /// its kin, or after a type and before <c>= ; { , ) =&gt; (</c> (<c>public static ItemDef Role = …</c>,
    /// <c>public Role Role { get; }</c>, <c>int Count(</c>). <c>return Role;</c> or <c>new Role(</c> are uses.
    /// </summary>
    private static bool IsDeclaredName(string previous, string next)
    {
        if (previous is "class" or "struct" or "interface" or "enum" or "record" or "namespace") return true;
        bool afterType = previous is ">" or "]" or "?"
            || (previous.Length > 0 && (char.IsLetterOrDigit(previous[0]) || previous[0] == '_') && !ExpressionKeywords.Contains(previous));
        return afterType && next is "=" or ";" or "{" or "," or ")" or "=>" or "(";
    }

    /// <summary>Keywords after which an identifier is an expression (so a type's name there is a use of the type).</summary>
    private static readonly HashSet<string> ExpressionKeywords =
    [
        "return", "new", "await", "is", "as", "case", "in", "out", "ref", "throw", "yield", "else", "typeof", "nameof", "sizeof",
        "default", "when", "and", "or", "not", "using", "lock", "goto", "checked", "unchecked", "with", "params",
    ];

    private void Add(ParsedFile file, string to, string what)
    {
        if (to == file.Namespace) return;
        _edges[file.Namespace].Add(to);
        if (!_evidence.TryGetValue((file.Namespace, to), out var list)) _evidence[(file.Namespace, to)] = list = [];
        string line = $"{file.Name} names {what}";
        if (!list.Contains(line)) list.Add(line);
    }

    /// <summary>The namespace of ours that <paramref name="name"/> means in <paramref name="from"/>: as written, or relative
    /// to <paramref name="from"/> or one of its parents (as C# looks names up); with <paramref name="allowPrefix"/>, also
    /// the longest of ours that <paramref name="name"/> starts with (<c>using static MeterBridge.Config.KeyResult</c>).</summary>
    private string? Resolve(string name, string from, bool allowPrefix)
    {
        var candidates = new List<string> { name };
        for (string scope = from; scope.Length > 0 && scope != GlobalNamespace; scope = scope.Contains('.') ? scope[..scope.LastIndexOf('.')] : "")
            candidates.Add(scope + "." + name);
        foreach (string candidate in candidates)
        {
            if (_edges.ContainsKey(candidate)) return candidate;
            if (allowPrefix)
                for (string prefix = candidate; prefix.Contains('.'); prefix = prefix[..prefix.LastIndexOf('.')])
                    if (_edges.ContainsKey(prefix)) return prefix;
        }
        return null;
    }

    /// <summary>For an identifier after a dot, the dotted name before it (<c>MeterBridge.Sources</c>); "" when that is no
    /// name (<c>f().X</c>, <c>a?.X</c>); null when there is no dot.</summary>
    private static string? Qualifier(string code, int start)
    {
        int i = SkipBlanksBack(code, start - 1);
        if (i < 0 || code[i] != '.') return null;
        var parts = new List<string>();
        while (true)
        {
            i = SkipBlanksBack(code, i - 1);
            int end = i + 1;
            while (i >= 0 && (char.IsLetterOrDigit(code[i]) || code[i] == '_')) i--;
            if (end == i + 1) break;
            parts.Insert(0, code[(i + 1)..end]);
            int dot = SkipBlanksBack(code, i);
            if (dot < 0 || code[dot] != '.') break;
            i = dot;
        }
        return string.Join('.', parts);
    }

    private static int SkipBlanksBack(string code, int i)
    {
        while (i >= 0 && char.IsWhiteSpace(code[i])) i--;
        return i;
    }

    private static int Depth(string code, int index)
    {
        int depth = 0;
        for (int i = 0; i < index; i++)
            depth += code[i] == '{' ? 1 : code[i] == '}' ? -1 : 0;
        return depth;
    }

    /// <summary>Why <paramref name="from"/> names <paramref name="to"/>: which file names what.</summary>
    public IReadOnlyList<string> Why(string from, string to) => _evidence.TryGetValue((from, to), out var list) ? list : [];

    /// <summary>Every loop between namespaces: per strongly connected group, one shortest cycle, first namespace repeated at the end.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var cycles = new List<IReadOnlyList<string>>();
        foreach (var group in StronglyConnectedGroups().Where(g => g.Count > 1))
        {
            string start = group.Min(StringComparer.Ordinal)!;
            cycles.Add(ShortestCycle(start, group));
        }
        return cycles;
    }

    /// <summary>A cycle with, per step, the lines that make it: for a test's failure message.</summary>
    public string Describe(IReadOnlyList<string> cycle)
    {
        var text = new System.Text.StringBuilder(string.Join(" -> ", cycle));
        for (int i = 0; i + 1 < cycle.Count; i++)
            foreach (string why in Why(cycle[i], cycle[i + 1]).Take(3))
                text.Append($"\n    {cycle[i]} -> {cycle[i + 1]}: {why}");
        return text.ToString();
    }

    private List<string> ShortestCycle(string start, HashSet<string> group)
    {
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            string at = queue.Dequeue();
            foreach (string next in _edges[at].Where(group.Contains).Order(StringComparer.Ordinal))
            {
                if (next == start)
                {
                    var path = new List<string> { start };
                    for (string step = at; step != start; step = cameFrom[step]) path.Insert(1, step);
                    path.Add(start);
                    return path;
                }
                if (cameFrom.TryAdd(next, at)) queue.Enqueue(next);
            }
        }
        throw new InvalidOperationException("a strongly connected group without a cycle through " + start);
    }

    /// <summary>Tarjan's algorithm over the namespaces that name each other.</summary>
    private List<HashSet<string>> StronglyConnectedGroups()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var groups = new List<HashSet<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (string next in _edges[node])
            {
                if (!_edges.ContainsKey(next)) continue;
                if (!index.ContainsKey(next)) { Visit(next); low[node] = Math.Min(low[node], low[next]); }
                else if (onStack.Contains(next)) low[node] = Math.Min(low[node], index[next]);
            }
            if (low[node] != index[node]) return;
            var group = new HashSet<string>(StringComparer.Ordinal);
            string member;
            do { member = stack.Pop(); onStack.Remove(member); group.Add(member); } while (member != node);
            groups.Add(group);
        }

        foreach (string node in _edges.Keys.Order(StringComparer.Ordinal))
            if (!index.ContainsKey(node)) Visit(node);
        return groups;
    }

    [GeneratedRegex(@"\bnamespace\s+([\w.]+)\s*[;{]")]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^[ \t]*(?:global[ \t]+)?using[ \t]+(?:static[ \t]+)?(?:\w+[ \t]*=[ \t]*)?([\w.]+)[ \t]*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record(?:\s+(?:struct|class))?|delegate\s+[\w.<>\[\]?]+)\s+([A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();

    /// <summary>An identifier, a two-character operator that matters here, or any other character but a blank.</summary>
    [GeneratedRegex(@"\b[A-Za-z_]\w*|\d\w*|=>|==|!=|<=|>=|\S")]
    private static partial Regex Token();
}
