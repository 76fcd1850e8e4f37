using MeterBridge.Core;

namespace MeterBridge.Items;

/// <summary>
/// Puts what the meter shows into the item table: the measurement rows, /NrOfPhases and /Connected. A location is
/// present from the first time it is shown; one no longer shown is withdrawn (invalid), never silently dropped.
/// </summary>
internal sealed class MeterItems
{
    private Reading _shown = Reading.Empty();

    public void Update(ItemTable table, MeterState state, Staleness staleness)
    {
        state.Show(staleness, ref _shown);
        for (int row = 0; row < Reading.Size; row++)
        {
            if (state.IsShown(MeterPaths.LocationOf(row))) table.Set(row, BusValue.Of(_shown[row]));
            else table.Withdraw(row); // a location no longer shown (the L1 mirror after a phase appeared): invalid, not gone
        }
        table.Set(MeterPaths.NrOfPhases, BusValue.Of(state.NrOfPhases));
        table.Set(MeterPaths.Connected, BusValue.Of(staleness == Staleness.Invalidated ? 0 : 1));
    }
}
