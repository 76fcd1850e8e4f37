using MeterBridge.Setup;
using MeterBridge.Config;
using MeterBridge.DBus;
using MeterBridge.Items;
using Xunit;

namespace MeterBridge.Tests.Setup;

public sealed class DeviceSettingsTests
{
    private static readonly DeviceSettings Paths = new(40);
    private static readonly DeviceSetup Grid = new(Role.Grid, 40, "MQTT Grid", 0);

    [Fact]
    public void The_paths_are_keyed_by_the_configured_instance()
    {
        Assert.Equal("/Settings/Devices/mqtt_40/ClassAndVrmInstance", Paths.ClassAndVrmInstance);
        Assert.Equal("/Settings/Devices/mqtt_40/CustomName", Paths.CustomName);
        Assert.Equal("/Settings/Devices/mqtt_40/Position", Paths.Position);
    }

    [Fact]
    public void The_defaults_are_role_colon_instance_the_name_and_a_position_from_0_to_2()
    {
        var defaults = Paths.Defaults(new DeviceSetup(Role.AcLoad, 41, "Boiler", 1));
        Assert.Equal(new SettingDefault(Paths.ClassAndVrmInstance, BusValue.Of("acload:41")), defaults[0]);
        Assert.Equal(new SettingDefault(Paths.CustomName, BusValue.Of("Boiler")), defaults[1]);
        Assert.Equal(new SettingDefault(Paths.Position, BusValue.Of(1), Min: 0, Max: 2), defaults[2]);
    }

    [Theory]
    [InlineData("grid:40", Role.Grid, 40)]
    [InlineData("acload:0", Role.AcLoad, 0)]
    [InlineData("pvinverter:299", Role.PvInverter, 299)]
    public void Class_and_instance_parse(string text, Role role, int instance)
    {
        Assert.True(DeviceSettings.TryParse(text, out var parsedRole, out int parsedInstance));
        Assert.Equal((role, instance), (parsedRole, parsedInstance));
        Assert.Equal(text, DeviceSettings.Format(role, instance));
    }

    [Theory]
    [InlineData("")]
    [InlineData("grid")]
    [InlineData("grid:")]
    [InlineData(":40")]
    [InlineData("Grid:40")]
    [InlineData("evcharger:40")]
    [InlineData("grid:-1")]
    [InlineData("grid: 40")]
    [InlineData("grid:4x")]
    [InlineData("grid:99999999999")]
    public void Anything_else_does_not_parse(string text) => Assert.False(DeviceSettings.TryParse(text, out _, out _));

    [Fact]
    public void A_new_instance_changes_only_the_instance()
    {
        var next = Paths.Apply(Grid, "MQTT Grid", Paths.ClassAndVrmInstance, BusValue.Of("grid:47"), out string? problem);
        Assert.Null(problem);
        Assert.Equal(Grid with { Instance = 47 }, next);
    }

    [Fact]
    public void A_new_role_takes_a_default_name_along_but_keeps_a_chosen_one()
    {
        Assert.Equal(new DeviceSetup(Role.AcLoad, 41, "MQTT AC Load", 0),
            Paths.Apply(Grid, "MQTT Grid", Paths.ClassAndVrmInstance, BusValue.Of("acload:41"), out _));
        Assert.Equal(new DeviceSetup(Role.AcLoad, 40, "Shed", 0),
            Paths.Apply(Grid with { CustomName = "Shed" }, "MQTT Grid", Paths.ClassAndVrmInstance, BusValue.Of("acload:40"), out _));
        // A configured device_name is its own default whatever the role.
        Assert.Equal(new DeviceSetup(Role.Genset, 40, "Shed", 0),
            Paths.Apply(Grid with { CustomName = "Shed" }, "Shed", Paths.ClassAndVrmInstance, BusValue.Of("genset:40"), out _));
    }

    [Fact]
    public void A_position_the_new_role_does_not_have_becomes_0()
    {
        var pv = new DeviceSetup(Role.PvInverter, 40, "MQTT PV Inverter", 2);
        Assert.Equal(0, pv.WithRole(Role.AcLoad, "MQTT Grid").Position);
        Assert.Equal(1, (pv with { Position = 1 }).WithRole(Role.HeatPump, "MQTT Grid").Position);
    }

    [Theory]
    [InlineData(Role.AcLoad, 1, true)]
    [InlineData(Role.AcLoad, 2, false)]
    [InlineData(Role.PvInverter, 2, true)]
    [InlineData(Role.PvInverter, 3, false)]
    [InlineData(Role.Grid, 2, true)]
    [InlineData(Role.HeatPump, -1, false)]
    public void A_position_must_fit_the_role(Role role, int position, bool accepted)
    {
        var next = Paths.Apply(Grid with { Role = role }, "MQTT Grid", Paths.Position, BusValue.Of(position), out string? problem);
        Assert.Equal(accepted, next is not null);
        Assert.Equal(accepted, problem is null);
        if (accepted) Assert.Equal(position, next!.Position);
    }

    [Fact]
    public void Values_of_the_wrong_type_are_refused_with_a_reason()
    {
        Assert.Null(Paths.Apply(Grid, "MQTT Grid", Paths.CustomName, BusValue.Of(5), out string? name));
        Assert.Contains("/Settings/Devices/mqtt_40/CustomName = 5 is not a string", name);
        Assert.Null(Paths.Apply(Grid, "MQTT Grid", Paths.ClassAndVrmInstance, BusValue.Of(40), out string? instance));
        Assert.Contains("is not <role>:<instance>", instance);
        Assert.Null(Paths.Apply(Grid, "MQTT Grid", Paths.Position, BusValue.Of("1"), out _));
    }

    [Fact]
    public void Paths_not_ours_change_nothing()
    {
        Assert.Same(Grid, Paths.Apply(Grid, "MQTT Grid", "/Settings/Devices/mqtt_41/CustomName", BusValue.Of("x"), out string? problem));
        Assert.Null(problem);
    }
    private static Dictionary<string, BusValue> Held(string classAndInstance, string name, int position) => new()
    {
        [Paths.ClassAndVrmInstance] = BusValue.Of(classAndInstance),
        [Paths.CustomName] = BusValue.Of(name),
        [Paths.Position] = BusValue.Of(position),
    };

    [Fact]
    public void After_a_load_the_held_values_win_when_nothing_was_written_meanwhile()
    {
        var problems = new List<string>();
        var merged = Paths.Merge(Grid, "MQTT Grid", Held("acload:45", "Boiler", 1), new HashSet<string>(), problems);
        Assert.Equal(new DeviceSetup(Role.AcLoad, 45, "Boiler", 1), merged);
        Assert.Empty(problems);
    }

    [Fact]
    public void After_a_load_what_was_written_on_the_meter_meanwhile_wins()
    {
        var written = new DeviceSetup(Role.HeatPump, 40, "Shed", 0);
        var merged = Paths.Merge(written, "MQTT Grid", Held("grid:41", "MQTT Grid", 0), new HashSet<string> { Paths.CustomName }, []);
        Assert.Equal(new DeviceSetup(Role.Grid, 41, "Shed", 0), merged);

        merged = Paths.Merge(written, "MQTT Grid", Held("grid:41", "Garage", 0), new HashSet<string> { Paths.ClassAndVrmInstance }, []);
        Assert.Equal(new DeviceSetup(Role.HeatPump, 40, "Garage", 0), merged);
    }

    [Fact]
    public void A_role_written_meanwhile_takes_the_held_default_name_along()
    {
        var written = new DeviceSetup(Role.AcLoad, 40, "MQTT AC Load", 0);
        var merged = Paths.Merge(written, "MQTT Grid", Held("grid:40", "MQTT Grid", 0), new HashSet<string> { Paths.ClassAndVrmInstance }, []);
        Assert.Equal(new DeviceSetup(Role.AcLoad, 40, "MQTT AC Load", 0), merged);
    }

    [Fact]
    public void An_unusable_held_value_is_skipped_with_its_reason()
    {
        var problems = new List<string>();
        var merged = Paths.Merge(Grid, "MQTT Grid", Held("toaster:3", "Boiler", 0), new HashSet<string>(), problems);
        Assert.Equal(Grid with { CustomName = "Boiler" }, merged);
        Assert.Contains(problems, problem => problem.StartsWith("ignored a setting: /Settings/Devices/mqtt_40/ClassAndVrmInstance = 'toaster:3'"));
    }
}
