using System.Globalization;
using System.Text;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// A valid payload with every quantity for the total and all three phases, every value a function of a counter,
/// and the 28 measurement paths it must show on D-Bus. Sent last, it overwrites whatever came before.
/// </summary>
public sealed class FullPayload
{
    private static readonly string[] Keys = ["power", "voltage", "current", "frequency", "power_factor", "energy_forward", "energy_reverse"];
    private static readonly string[] Leaves = ["Power", "Voltage", "Current", "Frequency", "PowerFactor", "Energy/Forward", "Energy/Reverse"];

    public FullPayload(long counter)
    {
        var json = new StringBuilder("{\"grid\":{");
        var expected = new Dictionary<string, double>();
        for (int location = 0; location <= 3; location++)
        {
            // Within every limit: |power| < 23 000 W per phase, voltage and energies positive, |power factor| <= 1.
            double[] values =
            [
                counter % 20_000 + location * 0.25,
                220 + counter % 20 + location * 0.5,
                counter % 90 + location * 0.125,
                49.5 + counter % 10 * 0.1 + location * 0.01,
                (counter % 100) / 100.0,
                counter + location * 0.5,
                counter * 0.5 + location,
            ];
            string prefix = location == 0 ? "/Ac" : $"/Ac/L{location}";
            if (location > 0) json.Append($",\"L{location}\":{{");
            for (int q = 0; q < Keys.Length; q++)
            {
                if (q > 0) json.Append(',');
                json.Append('"').Append(Keys[q]).Append("\":").Append(values[q].ToString("R", CultureInfo.InvariantCulture));
                expected[$"{prefix}/{Leaves[q]}"] = values[q];
            }
            if (location > 0) json.Append('}');
        }
        json.Append("}}");
        Text = json.ToString();
        Expected = expected;
    }

    public string Text { get; }

    public byte[] Bytes => Encoding.UTF8.GetBytes(Text);

    /// <summary>D-Bus path → value, for the 28 measurement paths.</summary>
    public IReadOnlyDictionary<string, double> Expected { get; }

    /// <summary>The paths whose GetItems value differs from <see cref="Expected"/>, as "path: got x, want y" lines.</summary>
    public List<string> Mismatches(IReadOnlyDictionary<string, string> items)
    {
        var wrong = new List<string>();
        foreach (var (path, want) in Expected)
        {
            string? got = items.GetValueOrDefault(path);
            if (!Rig.Same(got, "(<" + want.ToString("R", CultureInfo.InvariantCulture) + ">,)")) wrong.Add($"{path}: got {got ?? "(absent)"}, want {want}");
        }
        return wrong;
    }
}
