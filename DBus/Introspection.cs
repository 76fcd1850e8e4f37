using System.Text;
using MeterBridge.Items;

namespace MeterBridge.DBus;

/// <summary>
/// The introspection XML of one object: its BusItem members and the child nodes that exist now, so
/// <c>busctl tree</c>, <c>gdbus introspect -r</c> and dbus-spy can walk to every leaf.
/// </summary>
internal static class Introspection
{
    private const string Header =
        """
        <!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
         "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
        <node>
          <interface name="org.freedesktop.DBus.Introspectable">
            <method name="Introspect"><arg name="xml" type="s" direction="out"/></method>
          </interface>
          <interface name="com.victronenergy.BusItem">

        """;

    private const string LeafMembers =
        """
            <method name="GetValue"><arg name="value" type="v" direction="out"/></method>
            <method name="GetText"><arg name="text" type="s" direction="out"/></method>
            <method name="SetValue"><arg name="value" type="v" direction="in"/><arg name="result" type="i" direction="out"/></method>
            <method name="GetDescription"><arg name="language" type="s" direction="in"/><arg name="length" type="i" direction="in"/><arg name="description" type="s" direction="out"/></method>
            <signal name="PropertiesChanged"><arg name="changes" type="a{sv}"/></signal>

        """;

    private const string NodeMembers =
        """
            <method name="GetValue"><arg name="values" type="v" direction="out"/></method>
            <method name="GetText"><arg name="texts" type="v" direction="out"/></method>

        """;

    private const string RootMembers =
        """
            <method name="GetItems"><arg name="items" type="a{sa{sv}}" direction="out"/></method>
            <signal name="ItemsChanged"><arg name="changes" type="a{sa{sv}}"/></signal>

        """;

    public static string Describe(BusObject target, ItemTable table)
    {
        var xml = new StringBuilder(Header);
        xml.Append(target.IsLeaf ? LeafMembers : NodeMembers);
        if (target.IsRoot) xml.Append(RootMembers);
        xml.Append("  </interface>\n");
        foreach (BusObject child in target.Children)
            if (child.Exists(table)) xml.Append("  <node name=\"").Append(child.Name).Append("\"/>\n");
        return xml.Append("</node>\n").ToString();
    }
}
