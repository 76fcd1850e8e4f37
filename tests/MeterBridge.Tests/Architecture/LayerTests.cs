using MeterBridge.Tests.Infrastructure;
using Xunit;

namespace MeterBridge.Tests.Architecture;

/// <summary>
/// The layers go one way (docs/development.md): the pure meter (Core, Items) names nothing at the edge, and no two
/// namespaces name each other, directly or round a loop. Read from the source by <see cref="LayerScan"/>; the scan's own
/// reading is tested below on small made-up files.
/// </summary>
public class LayerTests
{
    private static readonly string[] CoreNamespaces = ["MeterBridge.Core", "MeterBridge.Items"];
    private static readonly string[] EdgeNamespaces =
        ["MeterBridge.Config", "MeterBridge.Mqtt", "MeterBridge.DBus", "MeterBridge.Bridge", "MeterBridge.Cli", "MeterBridge.Setup", "MeterBridge.Sources", "MeterBridge.Logging",
         "MeterBridge.Detect", "MeterBridge.GxApp", "MeterBridge.Storage"];

    private static readonly Lazy<LayerScan> Product = new(() => LayerScan.Of(RepoPaths.Root));

    private static bool IsEdge(string space) => EdgeNamespaces.Any(edge => space == edge || space.StartsWith(edge + ".", StringComparison.Ordinal));

    [Fact]
    public void Every_product_file_is_scanned_under_its_namespace()
    {
        var files = LayerScan.ProductFiles(RepoPaths.Root);
        Assert.Contains(files, f => f.EndsWith(Path.Combine("Core", "Meter.cs")));
        Assert.Contains(files, f => f.EndsWith(Path.Combine("Config", "Ini", "IniFile.cs")));
        Assert.DoesNotContain(files, f => f.Contains(Path.DirectorySeparatorChar + "tests" + Path.DirectorySeparatorChar));
        Assert.Superset(new HashSet<string>([.. CoreNamespaces, .. EdgeNamespaces, "MeterBridge.Config.Ini"]), Product.Value.Namespaces.ToHashSet());
    }

    [Fact]
    public void No_type_name_is_declared_in_two_namespaces()
    {
        var collisions = Product.Value.Types.Where(t => t.Value.Count > 1).Select(t => $"{t.Key}: {string.Join(", ", t.Value)}");
        Assert.Empty(collisions);
    }

    [Fact]
    public void Core_and_Items_name_no_namespace_at_the_edge()
    {
        var scan = Product.Value;
        var wrong = CoreNamespaces.SelectMany(core => scan.Edges[core].Where(IsEdge)
            .SelectMany(edge => scan.Why(core, edge).Select(why => $"{core} -> {edge}: {why}")));
        Assert.Empty(wrong);
    }

    [Fact]
    public void No_namespaces_name_each_other_round_a_loop()
    {
        var scan = Product.Value;
        var cycles = scan.Cycles().Select(scan.Describe).ToList();
        Assert.True(cycles.Count == 0, "namespaces in a loop:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void No_loop_passes_through_Core_Items_Sources_or_Config()
    {
        string[] ours = ["MeterBridge.Core", "MeterBridge.Items", "MeterBridge.Sources", "MeterBridge.Config", "MeterBridge.Config.Ini"];
        var scan = Product.Value;
        var cycles = scan.Cycles().Where(cycle => cycle.Any(ours.Contains)).Select(scan.Describe).ToList();
        Assert.True(cycles.Count == 0, "namespaces in a loop:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void The_layers_of_Core_Sources_and_Config_go_one_way()
    {
        var edges = Product.Value.Edges;
        Assert.Empty(edges["MeterBridge.Core"]);
        Assert.Equal(["MeterBridge.Core"], edges["MeterBridge.Sources"].Order());
        Assert.Empty(edges["MeterBridge.Config.Ini"]);
        Assert.Subset(new HashSet<string> { "MeterBridge.Core", "MeterBridge.Sources", "MeterBridge.Logging", "MeterBridge.Config.Ini" }, edges["MeterBridge.Config"]);
        foreach (string lower in (string[])["MeterBridge.Core", "MeterBridge.Items", "MeterBridge.Sources", "MeterBridge.Logging", "MeterBridge.Config.Ini"])
            Assert.DoesNotContain("MeterBridge.Config", edges[lower]);
    }

    [Fact]
    public void The_counters_file_names_only_the_core()
    {
        Assert.Equal(["MeterBridge.Core"], Product.Value.Edges["MeterBridge.Storage"].Order());
    }

    // The scan itself, on made-up files.

    private static LayerScan Scan(params (string Name, string Text)[] files) => new(files);

    [Fact]
    public void The_scan_finds_a_loop_of_two_namespaces_and_says_which_files_make_it()
    {
        var scan = Scan(
            ("A/One.cs", "using B;\nnamespace A;\npublic class One { Two two; }"),
            ("B/Two.cs", "namespace B;\npublic class Two { A.One one; }"),
            ("C/Three.cs", "namespace C;\npublic class Three { B.Two two; }"));
        var cycle = Assert.Single(scan.Cycles());
        Assert.Equal(["A", "B", "A"], cycle);
        string said = scan.Describe(cycle);
        Assert.Contains("A/One.cs names Two", said);
        Assert.Contains("B/Two.cs names A.One", said);
    }

    [Fact]
    public void The_scan_finds_a_loop_round_three_namespaces()
    {
        var scan = Scan(
            ("a.cs", "namespace N.A;\nclass Ay { Bee b; }"),
            ("b.cs", "namespace N.B;\nclass Bee { Cee c; }"),
            ("c.cs", "namespace N.C;\nclass Cee { Ay a; }"));
        Assert.Equal(["N.A", "N.B", "N.C", "N.A"], Assert.Single(scan.Cycles()));
    }

    [Fact]
    public void Names_in_comments_and_strings_do_not_count_but_interpolated_code_does()
    {
        var scan = Scan(
            ("a.cs", "namespace A;\nclass Ay\n{\n    // Bee\n    /* Bee */\n    string s = \"Bee\" + @\"Bee\"\"\" + \"\"\"\n        Bee\n        \"\"\" + 'B';\n}"),
            ("b.cs", "namespace B;\nclass Bee { static string S(int x) => $\"{x}Cee{{Cee}}\"; }"),
            ("c.cs", "namespace C;\nclass Cee { string s = $\"x {Bee.Name(\"Ay\")} y\"; }"));
        Assert.Empty(scan.Edges["A"]);
        Assert.Empty(scan.Edges["B"]);
        Assert.Equal(["B"], scan.Edges["C"]);
    }

    [Fact]
    public void A_member_of_another_types_name_is_no_use_of_that_type_and_nested_types_are_not_declared()
    {
        var scan = Scan(
            ("paths.cs", "namespace Items;\npublic static class Paths { public static int Role = 1; private sealed class Reader { } }"),
            ("role.cs", "namespace Config;\npublic enum Role { Grid }"),
            ("user.cs", "namespace Setup;\nclass User { int r = Items.Paths.Role; }"),
            ("reader.cs", "namespace Mqtt;\nclass Reader { }"));
        Assert.Empty(scan.Edges["Items"]);
        Assert.Equal(["Items"], scan.Edges["Setup"]);
        Assert.Equal(["Mqtt"], scan.Types["Reader"]);
    }

    [Fact]
    public void A_child_namespace_sees_its_parents_types_without_a_using()
    {
        var scan = Scan(
            ("ini.cs", "namespace M.Config.Ini;\nclass IniFile { string q = ValueText.Quote(\"x\"); }"),
            ("text.cs", "namespace M.Config;\nstatic class ValueText { }"),
            ("user.cs", "using static M.Config.Ini.IniFile;\nnamespace M.Cli;\nclass User { }"));
        Assert.Equal(["M.Config"], scan.Edges["M.Config.Ini"]);
        Assert.Equal(["M.Config.Ini"], scan.Edges["M.Cli"]);
    }

    [Fact]
    public void Two_namespaces_declaring_one_type_name_is_a_collision()
    {
        var scan = Scan(("a.cs", "namespace A;\nrecord struct Key(int X);"), ("b.cs", "namespace B { internal delegate int Key(); }"));
        Assert.Equal(["A", "B"], scan.Types["Key"]);
    }
}
