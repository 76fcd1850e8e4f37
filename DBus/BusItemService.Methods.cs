using MeterBridge.Items;
using Tmds.DBus.Protocol;

namespace MeterBridge.DBus;

internal sealed partial class BusItemService
{
    /// <summary>velib's VeDbusItemExport answer when a path has no description.</summary>
    private const string NoDescription = "No description given";

    /// <summary>Answers one method call; runs on the connection's thread, under <see cref="Gate"/>.</summary>
    private void Handle(MethodContext context)
    {
        Message request = context.Request;
        string path = request.PathAsString ?? "";
        lock (Gate)
        {
            try
            {
                BusObject? target = _tree.Find(path);
                if (target is null || !target.Exists(Table))
                    context.ReplyError(BusItemNames.UnknownObject, $"No object at path {path}");
                else if (context.IsDBusIntrospectRequest)
                    ReplyString(context, Introspection.Describe(target, Table));
                else if (!IsBusItemCall(request))
                    context.ReplyUnknownMethodError();
                else
                    Dispatch(context, target);
            }
            catch (Exception e) when (!context.ReplySent)
            {
                context.ReplyError(BusItemNames.Failed, e.Message);
            }
        }
    }

    /// <summary>velib's clients (dbus-python) often call without an interface: accept that as BusItem.</summary>
    private static bool IsBusItemCall(Message request) =>
        !request.InterfaceIsSet || request.Interface.SequenceEqual(BusItemNames.InterfaceUtf8);

    private void Dispatch(MethodContext context, BusObject target)
    {
        ReadOnlySpan<byte> member = context.Request.Member;
        if (member.SequenceEqual(BusItemNames.GetValueUtf8))
        {
            if (target.IsLeaf) ReplyValue(context, target.Row);
            else ReplyTree(context, target, texts: false);
        }
        else if (member.SequenceEqual(BusItemNames.GetTextUtf8))
        {
            if (target.IsLeaf) ReplyText(context, target.Row);
            else ReplyTree(context, target, texts: true);
        }
        else if (member.SequenceEqual(BusItemNames.GetItemsUtf8) && target.IsRoot)
        {
            ReplyItems(context);
        }
        else if (member.SequenceEqual(BusItemNames.SetValueUtf8) && target.IsLeaf)
        {
            SetValue(context, target.Row);
        }
        else if (member.SequenceEqual(BusItemNames.GetDescriptionUtf8) && target.IsLeaf)
        {
            ReplyString(context, NoDescription);
        }
        else
        {
            context.ReplyUnknownMethodError();
        }
    }

    private void ReplyValue(MethodContext context, int row)
    {
        MessageWriter writer = context.CreateReplyWriter("v");
        try
        {
            BusWire.WriteValue(ref writer, Table[row]);
            context.Reply(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    private void ReplyText(MethodContext context, int row)
    {
        MessageWriter writer = context.CreateReplyWriter("s");
        try
        {
            BusWire.WriteText(ref writer, Table[row], Table.Defs[row].Format);
            context.Reply(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Root and node GetValue/GetText: a variant holding <c>a{sv}</c> or <c>a{ss}</c>, keys relative to the node.</summary>
    private void ReplyTree(MethodContext context, BusObject node, bool texts)
    {
        MessageWriter writer = context.CreateReplyWriter("v");
        try
        {
            writer.WriteSignature(texts ? "a{ss}"u8 : "a{sv}"u8);
            ArrayStart entries = writer.WriteDictionaryStart();
            foreach (int row in node.Rows)
            {
                if (!Table.IsPresent(row)) continue;
                ItemDef def = Table.Defs[row];
                writer.WriteDictionaryEntryStart();
                writer.WriteString(def.Path.AsSpan(node.KeyOffset));
                if (texts) BusWire.WriteText(ref writer, Table[row], def.Format);
                else BusWire.WriteValue(ref writer, Table[row]);
            }
            writer.WriteDictionaryEnd(entries);
            context.Reply(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    private void ReplyItems(MethodContext context)
    {
        MessageWriter writer = context.CreateReplyWriter(BusItemNames.ItemsSignature);
        try
        {
            ArrayStart items = writer.WriteDictionaryStart();
            for (int row = 0; row < Table.Count; row++)
            {
                if (!Table.IsPresent(row)) continue;
                ItemDef def = Table.Defs[row];
                BusWire.WriteItemEntry(ref writer, def.Path, Table[row], def.Format);
            }
            writer.WriteDictionaryEnd(items);
            context.Reply(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>
    /// velib's order: not writable → 1; a type no item holds → 1; equal to the current value → 0;
    /// otherwise the writer decides, and an accepted value is published at once.
    /// </summary>
    private void SetValue(MethodContext context, int row)
    {
        if (!context.Request.Signature.SequenceEqual(BusItemNames.VariantSignatureUtf8))
        {
            context.ReplyError(BusItemNames.InvalidArgs, $"{BusItemNames.SetValue} takes one variant");
            return;
        }
        int result;
        if (!Table.Defs[row].Writable)
        {
            result = SetValueResult.NotWritable;
        }
        else
        {
            BusValue? requested = BusValueReader.ToBusValue(context.Request.GetBodyReader().ReadVariantValue());
            if (requested is not { } value) result = SetValueResult.NotWritable;
            else if (value == Table[row]) result = SetValueResult.Accepted;
            else result = _writer(Table, row, value);
            if (result == SetValueResult.Accepted) PublishChangesLocked();
        }
        MessageWriter writer = context.CreateReplyWriter("i");
        try
        {
            writer.WriteInt32(result);
            context.Reply(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static void ReplyString(MethodContext context, string text)
    {
        MessageWriter writer = context.CreateReplyWriter("s");
        try
        {
            writer.WriteString(text);
            context.Reply(writer.CreateMessage());
        }
        finally
        {
            writer.Dispose();
        }
    }
}
