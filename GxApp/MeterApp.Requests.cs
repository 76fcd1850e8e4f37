using MeterBridge.DBus;
using MeterBridge.Items;

namespace MeterBridge.GxApp;

/// <summary>Writes on the control service: add and remove a meter, start, stop and apply a detect.</summary>
internal sealed partial class MeterApp
{
    private async Task OnRequestAsync(ControlRequest request)
    {
        if (!_present)
        {
            log.Warning($"{LocalSettings.ServiceName} is not there: the request is dropped");
            return;
        }
        int n = request.Value;
        switch (request.Row)
        {
            case ControlPaths.Add:
                // Adding N again resets its settings: AddSettings creates what is missing, SetValue puts back the rest.
                await AddMeterSettingsAsync(n, defaults: null);
                foreach (MeterSetting setting in MeterSettings.All)
                    if (_values.GetValueOrDefault(MeterSettings.PathOf(n, setting)) != setting.Default)
                        await SetAsync(MeterSettings.PathOf(n, setting), setting.Default);
                var meters = MeterSettings.ParseList(Text(MeterSettings.MetersPath));
                meters.Add(n);
                await SetAsync(MeterSettings.MetersPath, BusValue.Of(MeterSettings.ListText(meters)));
                log.Info($"meter {n} added");
                await ReconcileAsync();
                break;
            case ControlPaths.Remove:
                var kept = MeterSettings.ParseList(Text(MeterSettings.MetersPath));
                kept.Remove(n);
                await SetAsync(MeterSettings.MetersPath, BusValue.Of(MeterSettings.ListText(kept)));
                await ReconcileAsync();
                break;
            case ControlPaths.DetectStart:
                var slot = _slots.GetValueOrDefault(n);
                var shown = _detect.Start(n, slot?.Settings, slot?.SettingsProblem, DetectSeconds, Post);
                _control!.SetDetect(shown.State, shown.Meter, shown.SecondsLeft, shown.Error, shown.Result, shown.Results);
                if (shown.State == "listening") log.Info($"detect: listening to meter {n}'s broker for {DetectSeconds} s");
                break;
            case ControlPaths.DetectStop:
                _detect.Cancel();
                break;
            case ControlPaths.DetectApply:
                if (_detect.Chosen(n) is not { } found || !_slots.ContainsKey(_detect.Meter)) return;
                int meter = _detect.Meter;
                await SetAsync(MeterSettings.PathOf(meter, Setting("Format")), BusValue.Of(found.Format));
                await SetAsync(MeterSettings.PathOf(meter, Setting("Topic")), BusValue.Of(found.Topic));
                await SetAsync(MeterSettings.PathOf(meter, Setting("Channel")), BusValue.Of(found.Channel));
                await SetAsync(MeterSettings.PathOf(meter, Setting(MeterSettings.Mapping)), BusValue.Of(found.Mapping));
                log.Info($"detect: meter {meter} set to result {n} ({found.Format} on {found.Topic})");
                _dirty.Add(meter);
                await ReconcileAsync();
                break;
        }
    }

    private static MeterSetting Setting(string name) => MeterSettings.All.First(s => s.Name == name);
}
