using MeterBridge.Items;
using Tmds.DBus.Protocol;

namespace MeterBridge.DBus;

internal sealed partial class BusItemService
{
    /// <summary>
    /// Sends the rows changed since the last call as ONE <c>ItemsChanged</c> on <c>/</c> (only rows that
    /// are present, each with Value and Text), plus per-leaf PropertiesChanged when enabled, then accepts
    /// the changes. Nothing changed: no signal. Not registered: the changes are accepted silently (a
    /// client scanning later reads them with GetItems). The hot path: allocation-free.
    /// </summary>
    /// <returns>Whether an ItemsChanged was sent.</returns>
    public bool PublishChanges()
    {
        lock (Gate) return PublishChangesLocked();
    }

    private bool PublishChangesLocked()
    {
        DBusConnection? connection = _connection;
        bool sent = false;
        if (connection is not null && CountPresentChanges() > 0)
        {
            SendItemsChanged(connection);
            if (_propertiesChanged) SendPropertiesChanged(connection);
            sent = true;
        }
        Table.AcceptChanges();
        return sent;
    }

    private int CountPresentChanges()
    {
        int count = 0;
        foreach (int row in Table.Changed)
            if (Table.IsPresent(row)) count++;
        return count;
    }

    private void SendItemsChanged(DBusConnection connection)
    {
        MessageWriter writer = connection.GetMessageWriter();
        try
        {
            writer.WriteSignalHeader(null, "/", BusItemNames.Interface, BusItemNames.ItemsChanged, BusItemNames.ItemsSignature);
            ArrayStart items = writer.WriteDictionaryStart();
            foreach (int row in Table.Changed)
            {
                if (!Table.IsPresent(row)) continue;
                ItemDef def = Table.Defs[row];
                BusWire.WriteItemEntry(ref writer, def.Path, Table[row], def.Format);
            }
            writer.WriteDictionaryEnd(items);
            connection.TrySendMessage(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>The old per-leaf signal: <c>{"Value": v, "Text": v(s)}</c> on each changed leaf's own path.</summary>
    private void SendPropertiesChanged(DBusConnection connection)
    {
        foreach (int row in Table.Changed)
        {
            if (!Table.IsPresent(row)) continue;
            ItemDef def = Table.Defs[row];
            MessageWriter writer = connection.GetMessageWriter();
            try
            {
                writer.WriteSignalHeader(null, def.Path, BusItemNames.Interface, BusItemNames.PropertiesChanged, BusItemNames.PropertiesSignature);
                BusWire.WriteItemProperties(ref writer, Table[row], def.Format);
                connection.TrySendMessage(writer.CreateMessage());
            }
            finally
            {
                writer.Dispose();
            }
        }
    }
}
