using MeterBridge.Config;
using MeterBridge.DBus;
using MeterBridge.Items;

namespace MeterBridge.Setup;

/// <summary>Every SetValue the meter takes: /Role, /Position and /CustomName, the rows a GX user may write.</summary>
internal sealed partial class SettingsSync
{
    /// <summary>The longest custom name the GUI lets a user type.</summary>
    public const int CustomNameMaxLength = 32;

    /// <summary>
    /// SetValue on a writable row, on the D-Bus thread with the service's gate held (an <see cref="ItemWriter"/>); velib's
    /// answers: 0 accepted, 1 not writable or the wrong type, 2 rejected. Name and position are in the table at once, so a
    /// GetValue right after sees them; a new role is only noted: the publisher thread re-registers.
    /// </summary>
    public int Write(ItemTable table, int row, in BusValue requested)
    {
        lock (_gate)
        {
            DeviceSetup wanted = Wanted;
            switch (row)
            {
                case MeterPaths.Role:
                    if (requested.Type != BusType.String) return SetValueResult.NotWritable;
                    if (!RoleNames.TryParse(requested.AsString, out var role) || requested.AsString != RoleNames.Of(role)) return SetValueResult.Rejected;
                    AskWritten(_paths.ClassAndVrmInstance, role == wanted.Role ? wanted : wanted.WithRole(role, _deviceName));
                    return SetValueResult.Accepted;
                case MeterPaths.Position:
                    if (requested.Type != BusType.Int32) return SetValueResult.NotWritable;
                    if (requested.AsInt32 < 0 || requested.AsInt32 > DeviceSetup.HighestPosition(wanted.Role)) return SetValueResult.Rejected;
                    table.Set(row, requested);
                    AskWritten(_paths.Position, wanted with { Position = requested.AsInt32 });
                    return SetValueResult.Accepted;
                case MeterPaths.CustomName:
                    if (requested.Type != BusType.String) return SetValueResult.NotWritable;
                    if (requested.AsString.Length > CustomNameMaxLength) return SetValueResult.Rejected;
                    table.Set(row, requested);
                    AskWritten(_paths.CustomName, wanted with { CustomName = requested.AsString });
                    return SetValueResult.Accepted;
                default:
                    return SetValueResult.NotWritable;
            }
        }
    }
}
