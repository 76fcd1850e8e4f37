using System.Diagnostics;

namespace MeterBridge.GxApp;

/// <summary>The meters' processes: started on their app.ini, stopped, restarted after a back-off, their lines and states shown.</summary>
internal sealed partial class MeterApp
{
    private void StartChild(MeterSlot slot)
    {
        int meter = slot.Meter;
        slot.Started();
        MeterChild? child = null;
        try
        {
            child = MeterChild.Start(binary, AppIniFile.PathOf(home, meter), meter,
                line =>
                {
                    log.Forward(meter, line);
                    if (line.StartsWith("WARNING ", StringComparison.Ordinal) || line.StartsWith("ERROR ", StringComparison.Ordinal) || line.StartsWith("INFO connected to ", StringComparison.Ordinal))
                        Post(new ChildOutput(meter, child!, line, state: false));
                },
                line =>
                {
                    if (line.StartsWith(Mqtt.StateLines.Prefix, StringComparison.Ordinal)) Post(new ChildOutput(meter, child!, line[Mqtt.StateLines.Prefix.Length..], state: true));
                    else
                    {
                        log.Forward(meter, line);
                        Post(new ChildOutput(meter, child!, "ERROR " + line, state: false));
                    }
                });
        }
        catch (Exception error)
        {
            log.Error($"meter {meter}: cannot start {binary}: {error.Message}");
            slot.Exited(-1);
            Show(slot);
            ScheduleRestart(slot);
            return;
        }
        slot.Child = child;
        _ = child.Exited.ContinueWith(exit => Post(new ChildExited(meter, child, exit.Result)), TaskScheduler.Default);
        Show(slot);
    }

    private async Task StopChildAsync(MeterSlot slot)
    {
        if (slot.Child is not { } child) return;
        slot.Child = null; // its exit is ours, not a crash
        await child.StopAsync(StopGrace);
    }

    private void OnChildOutput(ChildOutput output)
    {
        if (!_slots.TryGetValue(output.Meter, out var slot) || slot.Child != output.Child) return;
        if (output.State) slot.OnState(output.Line);
        else slot.OnLogLine(output.Line);
        Show(slot);
    }

    private void OnChildExited(ChildExited exited)
    {
        if (!_slots.TryGetValue(exited.Meter, out var slot) || slot.Child != exited.Child) return;
        slot.Child = null;
        slot.Exited(exited.Code);
        if (Stopwatch.GetElapsedTime(exited.Child.StartedAt) >= MeterSlot.LastRetry) slot.Retry = MeterSlot.FirstRetry;
        log.Warning($"meter {exited.Meter} exited with code {exited.Code}: starting it again in {slot.Retry.TotalSeconds:0} s");
        Show(slot);
        ScheduleRestart(slot);
    }

    private void ScheduleRestart(MeterSlot slot)
    {
        var due = new RestartDue(slot.Meter, slot.Generation);
        _ = Task.Delay(slot.Retry).ContinueWith(_ => Post(due), TaskScheduler.Default);
        slot.Retry = TimeSpan.FromTicks(Math.Min(slot.Retry.Ticks * 2, MeterSlot.LastRetry.Ticks));
    }

    private void Show(MeterSlot slot)
    {
        var (state, reason, service) = slot.Shown();
        _control!.SetMeter(slot.Meter, state, reason, service);
    }
}
