using MeterBridge.Config;
using MeterBridge.Core;
using MeterBridge.Items;

namespace MeterBridge.Detect;

/// <summary>A confirmed meter: the guess, the settings that read it, how many messages it had, and what the GX would show.</summary>
internal sealed record FoundMeter(Candidate Candidate, Settings Settings, long Messages, MeterReadout Readout)
{
    public int Phases => Readout.Table[MeterPaths.NrOfPhases].AsInt32;

    public bool ShowsPower => !double.IsNaN(Readout.Shown(Location.Total, Quantity.Power));
}
