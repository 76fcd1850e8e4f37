using System.Reflection;
using MeterBridge.Core;
using MeterBridge.Items;
using Xunit;

namespace MeterBridge.Tests.Items;

/// <summary>The path table's named rows must be the rows they name: the constants are written by hand beside the table.</summary>
public sealed class MeterPathsTests
{
    public static TheoryData<string, int> NamedRows()
    {
        var rows = new TheoryData<string, int>();
        foreach (var field in typeof(MeterPaths).GetFields(BindingFlags.Public | BindingFlags.Static))
            if (field.IsLiteral && field.FieldType == typeof(int)) rows.Add(field.Name, (int)field.GetRawConstantValue()!);
        return rows;
    }

    [Theory]
    [MemberData(nameof(NamedRows))]
    public void Every_named_row_is_the_path_of_its_name(string name, int row) =>
        Assert.EndsWith("/" + name, MeterPaths.All[row].Path);

    [Fact]
    public void Every_row_after_the_measurements_has_a_name_and_the_measurements_follow_the_reading()
    {
        Assert.Equal(MeterPaths.All.Length - Reading.Size, NamedRows().Count());
        Assert.Equal("/Ac/L2/Current", MeterPaths.All[MeterPaths.Measurement(Location.L2, Quantity.Current)].Path);
        Assert.Equal("/Ac/Energy/Reverse", MeterPaths.All[MeterPaths.Measurement(Location.Total, Quantity.EnergyReverse)].Path);
    }
}
