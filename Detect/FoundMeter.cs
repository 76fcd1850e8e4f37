using MeterBridge.Config;
using MeterBridge.Core;
using MeterBridge.Items;

namespace MeterBridge.Detect;

/// <summary>A confirmed meter: the guess, the settings that read it, how many messages it had, and what the GX would show
/// (a class, not a record: never compared or printed).</summary>
internal sealed class FoundMeter(Candidate candidate, Settings settings, long messages, MeterReadout readout)
{
    public Candidate Candidate { get; } = candidate;
    public Settings Settings { get; } = settings;
    public long Messages { get; } = messages;
    public MeterReadout Readout { get; } = readout;

    public int Phases => Readout.Table[MeterPaths.NrOfPhases].AsInt32;

    public bool ShowsPower => !double.IsNaN(Readout.Shown(Location.Total, Quantity.Power));
}
