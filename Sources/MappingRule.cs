using MeterBridge.Config;
using MeterBridge.Core;

namespace MeterBridge.Sources;

/// <summary>
/// One compiled rule of a source: messages on topics that match <see cref="Topic"/> carry the value at
/// <see cref="Pointer"/> (the whole payload when null), times <see cref="Factor"/>, as this location's quantity.
/// </summary>
public sealed record MappingRule(Location Location, Quantity Quantity, string Topic, JsonPointer? Pointer, double Factor)
{
    /// <summary>The rule in the mapping language, placeholders replaced: what <c>check</c> shows.</summary>
    public string Text => Topic + (Pointer is null ? "" : " " + Pointer.Text) + (Factor == 1 ? "" : " * " + ValueText.Show(Factor));
}
