using System.Globalization;
using MeterBridge.Config;
using MeterBridge.DBus;
using MeterBridge.Items;

namespace MeterBridge.Setup;

/// <summary>
/// A meter's entries in the GX's settings service, under <c>/Settings/Devices/mqtt_&lt;device_instance&gt;</c>. Keyed by
/// the configured device_instance, so they stay with the meter across role and VRM-instance changes.
/// </summary>
internal sealed class DeviceSettings(int deviceInstance)
{
    public string Prefix { get; } = $"/Settings/Devices/mqtt_{deviceInstance}";
    public string ClassAndVrmInstance => Prefix + "/ClassAndVrmInstance";
    public string CustomName => Prefix + "/CustomName";
    public string Position => Prefix + "/Position";

    /// <summary>
    /// What AddSettings gets: the settings service keeps a stored value and only uses these for a new entry. Position is
    /// added for every role (range 0–2) because the role can change while running.
    /// </summary>
    public SettingDefault[] Defaults(DeviceSetup setup) =>
    [
        new(ClassAndVrmInstance, BusValue.Of(Format(setup.Role, setup.Instance))),
        new(CustomName, BusValue.Of(setup.CustomName)),
        new(Position, BusValue.Of(setup.Position), Min: 0, Max: 2),
    ];

    /// <summary>The value the settings service holds for each part of <paramref name="setup"/>, by path.</summary>
    public (string Path, BusValue Value)[] Values(DeviceSetup setup) =>
    [
        (ClassAndVrmInstance, BusValue.Of(Format(setup.Role, setup.Instance))),
        (CustomName, BusValue.Of(setup.CustomName)),
        (Position, BusValue.Of(setup.Position)),
    ];

    /// <summary>
    /// <paramref name="setup"/> with one setting's value in it. A new role goes through <see cref="DeviceSetup.WithRole"/>
    /// so a default name follows it. Null with a reason when the value is unusable; paths not ours change nothing.
    /// </summary>
    public DeviceSetup? Apply(DeviceSetup setup, string deviceName, string path, in BusValue value, out string? problem)
    {
        problem = null;
        if (path == ClassAndVrmInstance)
        {
            if (value.Type != BusType.String || !TryParse(value.AsString, out var role, out int instance))
            {
                problem = $"{path} = {Describe(value)} is not <role>:<instance> with one of the roles {string.Join(", ", RoleNames.Allowed)}";
                return null;
            }
            return (role == setup.Role ? setup : setup.WithRole(role, deviceName)) with { Instance = instance };
        }
        if (path == CustomName)
        {
            if (value.Type == BusType.String) return setup with { CustomName = value.AsString };
            problem = $"{path} = {Describe(value)} is not a string";
            return null;
        }
        if (path == Position)
        {
            // A role without /Position keeps whatever is stored, for when the role changes back.
            int highest = DeviceSetup.HasPosition(setup.Role) ? DeviceSetup.HighestPosition(setup.Role) : 2;
            if (value.Type == BusType.Int32 && value.AsInt32 >= 0 && value.AsInt32 <= highest) return setup with { Position = value.AsInt32 };
            problem = $"{path} = {Describe(value)} is not a position from 0 to {highest} for {RoleNames.Of(setup.Role)}";
            return null;
        }
        return setup;
    }

    /// <summary>
    /// The setup once the settings service has answered: <paramref name="current"/> with the values it holds, then the
    /// paths in <paramref name="unsaved"/> once more from <paramref name="current"/>: what was written on the meter
    /// while the settings were not loaded wins, to be saved. Paths go in a fixed order (class before name, so a default
    /// name follows the stored role); unusable values are skipped with their reason added to <paramref name="problems"/>.
    /// </summary>
    public DeviceSetup Merge(DeviceSetup current, string deviceName, IReadOnlyDictionary<string, BusValue> held,
        IReadOnlySet<string> unsaved, List<string> problems)
    {
        DeviceSetup merged = current;
        var ours = Values(current);
        foreach (var (path, _) in ours)
            if (held.TryGetValue(path, out var value)) merged = Adopt(merged, deviceName, path, value, problems);
        foreach (var (path, value) in ours)
            if (unsaved.Contains(path)) merged = Adopt(merged, deviceName, path, value, problems);
        return merged;
    }

    private DeviceSetup Adopt(DeviceSetup setup, string deviceName, string path, in BusValue value, List<string> problems)
    {
        var adopted = Apply(setup, deviceName, path, value, out string? problem);
        if (problem is not null) problems.Add($"ignored a setting: {problem}");
        return adopted ?? setup;
    }

    /// <summary>"grid:40": the role names the service class, the number is the VRM instance.</summary>
    public static string Format(Role role, int instance) => $"{RoleNames.Of(role)}:{instance.ToString(CultureInfo.InvariantCulture)}";

    public static bool TryParse(string text, out Role role, out int instance)
    {
        instance = 0;
        int colon = text.IndexOf(':');
        role = Role.Grid;
        return colon > 0
            && RoleNames.TryParse(text[..colon], out role) && text[..colon] == RoleNames.Of(role)
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out instance);
    }

    private static string Describe(in BusValue value) => value.Type switch
    {
        BusType.String => $"'{value.AsString}'",
        BusType.Int32 => value.AsInt32.ToString(CultureInfo.InvariantCulture),
        BusType.Double => value.Number.ToString(CultureInfo.InvariantCulture),
        _ => value.Type.ToString().ToLowerInvariant(),
    };
}
