using MeterBridge.DBus;
using MeterBridge.GxApp;
using MeterBridge.Items;
using Xunit;

namespace MeterBridge.Tests.GxApp;

/// <summary>The control service's table: /Meters is a leaf (the list) and the node of /Meters/Add and /Meters/N/… at once.</summary>
public class ControlPathsTests
{
    [Fact]
    public void Meters_is_a_leaf_with_children_in_either_order_and_a_path_listed_twice_is_refused()
    {
        var tree = new BusObjectTree(ControlPaths.With([100]));
        BusObject meters = tree.Find("/Meters")!;
        Assert.True(meters.IsLeaf);
        Assert.Equal(ControlPaths.MeterList, meters.Row);
        Assert.Equal(["Add", "Remove", "100"], meters.Children.Select(c => c.Name));
        Assert.Equal(ControlPaths.MeterList, meters.Rows[0]);
        Assert.True(tree.Find("/Meters/100")!.Children.Count == 3);

        ItemDef[] childFirst = [new("/A/B", TextFormat.Plain), new("/A", TextFormat.Plain)];
        BusObject a = new BusObjectTree(childFirst).Find("/A")!;
        Assert.Equal(1, a.Row);
        Assert.Equal([1, 0], a.Rows);
        Assert.Equal(["B"], a.Children.Select(c => c.Name));

        Assert.Throws<ArgumentException>(() => new BusObjectTree([new("/A", TextFormat.Plain), new("/A", TextFormat.Plain)]));
    }
}
