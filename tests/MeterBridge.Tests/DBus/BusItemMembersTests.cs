using Xunit;
using MeterBridge.DBus;
using MeterBridge.Items;
using MeterBridge.Tests.Infrastructure;

namespace MeterBridge.Tests.DBus;

/// <summary>Every member on the root, a node and a leaf, read with gdbus and busctl (clients nobody here wrote).</summary>
[Collection(DBusCollection.Name)]
public sealed class BusItemMembersTests(DBusDaemon bus)
{
    private readonly string _name = TestTables.NewServiceName();
    private BusItemService _service = null!;

    /// <summary>Registers the full-payload service; each test disposes it (which unregisters).</summary>
    private async Task<BusItemService> StartAsync()
    {
        _service = new BusItemService(TestTables.Create(TestTables.FullPayload).Table, _name, bus.Address);
        await _service.RegisterAsync();
        return _service;
    }

    private string Call(string path, string method, params string[] args) => Gdbus.Call(bus.Address, _name, path, method, args);

    [Fact]
    public async Task GetItems_on_root_has_every_present_path_with_value_and_text()
    {
        await using var service = await StartAsync();
        string items = Call("/", "GetItems");

        Assert.Contains("'/Ac/Power': {'Value': <1500.5>, 'Text': <'1500.5 W'>}", items);
        Assert.Contains("'/Ac/L1/Voltage': {'Value': <230.09999999999999>, 'Text': <'230.1 V'>}", items);
        Assert.Contains("'/Ac/L2/Current': {'Value': <2.6000000000000001>, 'Text': <'2.6 A'>}", items);
        Assert.Contains("'/Ac/L3/Frequency': {'Value': <50.030000000000001>, 'Text': <'50.03 Hz'>}", items);
        Assert.Contains("'/Ac/Energy/Forward': {'Value': <12345.67>, 'Text': <'12345.67 kWh'>}", items);
        Assert.Contains("'/Ac/L1/PowerFactor': {'Value': <@ai []>, 'Text': <'---'>}", items);
        Assert.Contains("'/DeviceInstance': {'Value': <40>, 'Text': <'40'>}", items);
        Assert.Contains("'/ProductId': {'Value': <65535>, 'Text': <'0xFFFF'>}", items);
        Assert.Contains("'/ProductName': {'Value': <'MQTT Grid'>, 'Text': <'MQTT Grid'>}", items);
        Assert.Contains("'/NrOfPhases': {'Value': <3>, 'Text': <'3'>}", items);
        Assert.Contains("'/Connected': {'Value': <1>, 'Text': <'1'>}", items);
        Assert.Contains("'/AllowedRoles': {'Value': <[<'grid'>, <'pvinverter'>, <'genset'>, <'acload'>, <'heatpump'>]>", items);
        var table = _service.Table;
        for (int row = 0; row < table.Count; row++)
        {
            string key = $"'{table.Defs[row].Path}': {{'Value'";
            if (table.IsPresent(row)) Assert.Contains(key, items);
            else Assert.DoesNotContain(key, items);
        }
    }

    [Fact]
    public async Task GetValue_and_GetText_on_a_leaf()
    {
        await using var service = await StartAsync();
        Assert.Equal("(<500.10000000000002>,)", Call("/Ac/L1/Power", "GetValue"));
        Assert.Equal("('500.1 W',)", Call("/Ac/L1/Power", "GetText"));
        Assert.Equal("(<40>,)", Call("/DeviceInstance", "GetValue"));
        Assert.Equal("('0xFFFF',)", Call("/ProductId", "GetText"));
        Assert.Equal("(<'MQTT localhost:1883 meters/grid'>,)", Call("/Mgmt/Connection", "GetValue"));
    }

    [Fact]
    public async Task Wire_types_are_d_i_s_av_and_invalid_is_an_empty_ai()
    {
        await using var service = await StartAsync();
        Assert.Equal("v d 1500.5", Busctl("/Ac/Power", "GetValue"));
        Assert.Equal("v i 40", Busctl("/DeviceInstance", "GetValue"));
        Assert.Equal("v s \"MQTT Grid\"", Busctl("/ProductName", "GetValue"));
        Assert.Equal("v ai 0", Busctl("/Ac/PowerFactor", "GetValue"));
        Assert.Equal("s \"---\"", Busctl("/Ac/PowerFactor", "GetText"));
        Assert.StartsWith("v av 5 s \"grid\" s \"pvinverter\"", Busctl("/AllowedRoles", "GetValue"));
    }

    [Fact]
    public async Task GetValue_and_GetText_on_the_root_use_keys_without_leading_slash()
    {
        await using var service = await StartAsync();
        string values = Call("/", "GetValue");
        Assert.StartsWith("(<{'", values);
        Assert.Contains("'Ac/L1/Power': <500.10000000000002>", values);
        Assert.Contains("'DeviceInstance': <40>", values);
        Assert.Contains("'Ac/PowerFactor': <@ai []>", values);
        Assert.DoesNotContain("'/Ac", values);
        Assert.DoesNotContain("'/DeviceInstance", values);

        string texts = Call("/", "GetText");
        Assert.Contains("'Ac/L1/Power': '500.1 W'", texts);
        Assert.Contains("'Mgmt/ProcessVersion': '0.1.0'", texts);
        Assert.Equal("v a{ss}", Busctl("/", "GetText")[..7]);
        Assert.Equal("v a{sv}", Busctl("/", "GetValue")[..7]);
    }

    [Fact]
    public async Task GetValue_and_GetText_on_a_node_use_keys_relative_to_the_node()
    {
        await using var service = await StartAsync();
        string values = Call("/Ac", "GetValue");
        Assert.Contains("'L1/Power': <500.10000000000002>", values);
        Assert.Contains("'Power': <1500.5>", values);
        Assert.Contains("'Energy/Forward': <12345.67>", values);
        Assert.DoesNotContain("DeviceInstance", values);

        string texts = Call("/Ac/L2", "GetText");
        Assert.Contains("'Power': '600.2 W'", texts);
        Assert.Contains("'Energy/Reverse': '800.20 kWh'", texts);
        Assert.DoesNotContain("L1", texts);
        Assert.Contains("'ProcessName': <'/data/meterbridge/meterbridge'>", Call("/Mgmt", "GetValue"));
    }

    [Fact]
    public async Task GetDescription_on_a_leaf_answers_a_string()
    {
        await using var service = await StartAsync();
        Assert.Equal("('No description given',)", Call("/Ac/Power", "GetDescription", "en", "0"));
    }

    [Fact]
    public async Task Unknown_object_and_unknown_method_errors()
    {
        await using var service = await StartAsync();
        var noObject = Gdbus.CallRaw(bus.Address, _name, "/Ac/L4/Power", "GetValue");
        Assert.NotEqual(0, noObject.ExitCode);
        Assert.Contains("org.freedesktop.DBus.Error.UnknownObject", noObject.Stderr);

        var noMethod = Gdbus.CallRaw(bus.Address, _name, "/Ac/Power", "Frobnicate");
        Assert.Contains("org.freedesktop.DBus.Error.UnknownMethod", noMethod.Stderr);

        var itemsOnLeaf = Gdbus.CallRaw(bus.Address, _name, "/Ac/Power", "GetItems");
        Assert.Contains("org.freedesktop.DBus.Error.UnknownMethod", itemsOnLeaf.Stderr);

        var setOnNode = Gdbus.CallRaw(bus.Address, _name, "/Ac", "SetValue", "<1>");
        Assert.Contains("org.freedesktop.DBus.Error.UnknownMethod", setOnNode.Stderr);

        var otherInterface = Gdbus.CallRaw(bus.Address, _name, "/Ac/Power", "org.example.Foo.GetValue");
        Assert.Contains("org.freedesktop.DBus.Error.UnknownMethod", otherInterface.Stderr);
    }

    [Fact]
    public async Task Introspect_names_the_members_and_the_children_of_every_object()
    {
        await using var service = await StartAsync();
        string root = Call("/", "org.freedesktop.DBus.Introspectable.Introspect");
        Assert.Contains("<method name=\"GetItems\">", root);
        Assert.Contains("<signal name=\"ItemsChanged\">", root);
        Assert.Contains("<node name=\"Ac\"/>", root);
        Assert.Contains("<node name=\"Mgmt\"/>", root);
        Assert.Contains("<node name=\"DeviceInstance\"/>", root);

        string node = Call("/Ac/L1", "org.freedesktop.DBus.Introspectable.Introspect");
        Assert.Contains("<node name=\"Power\"/>", node);
        Assert.Contains("<node name=\"Energy\"/>", node);
        Assert.DoesNotContain("GetItems", node);

        string leaf = Call("/Ac/L1/Power", "org.freedesktop.DBus.Introspectable.Introspect");
        Assert.Contains("<method name=\"SetValue\">", leaf);
        Assert.DoesNotContain("<node name=", leaf);
    }

    [Fact]
    public async Task Busctl_tree_reaches_every_present_leaf()
    {
        await using var service = await StartAsync();
        var result = Tool.Run("busctl", $"--address={bus.Address}", "tree", "--list", _name);
        Assert.True(result.ExitCode == 0, result.ToString());
        var paths = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var table = _service.Table;
        for (int row = 0; row < table.Count; row++)
        {
            if (table.IsPresent(row)) Assert.Contains(table.Defs[row].Path, paths);
            else Assert.DoesNotContain(table.Defs[row].Path, paths);
        }
        Assert.Contains("/Ac/L3/Energy", paths);
        Assert.Contains("/Mgmt", paths);
    }

    [Fact]
    public async Task Gdbus_recursive_introspection_walks_to_the_leaves()
    {
        await using var service = await StartAsync();
        var result = Tool.Run("gdbus", "introspect", "--address", bus.Address, "--dest", _name, "--object-path", "/", "--recurse", "--only-properties");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("node /Ac/L3/Energy/Reverse", result.Stdout);
        Assert.Contains("node /Mgmt/Connection", result.Stdout);
    }

    private string Busctl(string path, string method)
    {
        var result = Tool.Run("busctl", $"--address={bus.Address}", "call", _name, path, "com.victronenergy.BusItem", method);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Trim();
    }
}
