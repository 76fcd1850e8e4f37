using MeterBridge.Config;
using MeterBridge.DBus;
using MeterBridge.Items;
using MeterBridge.Logging;
using MeterBridge.Setup;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace MeterBridge.Tests.Setup;

/// <summary>
/// The settings lifecycle of a GX without a GX: a settings service answered by hand and a clock moved by hand, so a slow
/// boot, errors, the service leaving and coming back, and changes made meanwhile each take milliseconds.
/// </summary>
public sealed class SettingsSyncTests
{
    private static readonly DeviceSettings Paths = new(40);
    private static readonly DeviceSetup FromConfig = new(Role.Grid, 40, "MQTT Grid", 0);
    private static readonly (string, BusValue)[] EarlierRun =
    [
        (Paths.ClassAndVrmInstance, BusValue.Of("acload:45")),
        (Paths.CustomName, BusValue.Of("Boiler")),
        (Paths.Position, BusValue.Of(1)),
    ];

    private readonly CountingTimeProvider _time = new();
    private readonly FakeSettingsStore _store = new();
    private readonly StringWriter _log = new();
    private int _wakes;

    private SettingsSync Sync(ISettingsStore? store, TimeSpan wait = default) =>
        new(Paths, FromConfig, "MQTT Grid", store, wait, new Log(LogLevel.Debug, _log), _time, () => Interlocked.Increment(ref _wakes), CancellationToken.None);

    private long Now => _time.GetTimestamp();

    private string[] LogLines => _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Fake time moves in steps, each letting the timers due by then fire.</summary>
    private void Advance(TimeSpan by)
    {
        for (var step = TimeSpan.FromSeconds(1); by > TimeSpan.Zero; by -= step)
            _time.Advance(by < step ? by : step);
    }

    /// <summary>
    /// Moves fake time on in 100 ms steps until <paramref name="condition"/> holds, at most <paramref name="most"/>: a
    /// retry's timer is set on whichever thread ran the failed call, possibly a moment after the test moved on.
    /// </summary>
    private void AdvanceUntil(Func<bool> condition, TimeSpan most, string what)
    {
        for (var moved = TimeSpan.Zero; !condition(); moved += TimeSpan.FromMilliseconds(100))
        {
            if (moved > most) Assert.Fail(what);
            _time.Advance(TimeSpan.FromMilliseconds(100));
            Thread.Sleep(1);
        }
    }

    private static void Eventually(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail(what);
            Thread.Sleep(1);
        }
    }

    [Fact]
    public void Without_a_settings_service_the_meter_registers_from_its_config_at_once()
    {
        var sync = Sync(store: null, wait: TimeSpan.FromSeconds(60));
        Assert.False(sync.WaitsForSettings(Now));
        Assert.Equal(long.MaxValue, sync.WaitEnds(Now));
        Assert.Null(sync.TakeChange());
        Assert.Equal(FromConfig, sync.Shown);
        Assert.Empty(LogLines);
    }

    [Fact]
    public void A_meter_that_waits_for_nothing_says_nothing_about_waiting()
    {
        var sync = Sync(_store, wait: TimeSpan.Zero);
        Assert.False(sync.WaitsForSettings(Now));
        Assert.Empty(LogLines);
    }

    [Fact]
    public void A_meter_waits_for_a_settings_service_that_is_expected_but_not_there_yet_then_registers_from_its_config()
    {
        var sync = Sync(_store, wait: TimeSpan.FromSeconds(60));
        Assert.True(sync.WaitsForSettings(Now));
        long ends = sync.WaitEnds(Now);
        Assert.Equal(Now + 60 * _time.TimestampFrequency, ends);
        Advance(TimeSpan.FromSeconds(59));
        Assert.True(sync.WaitsForSettings(Now));
        Advance(TimeSpan.FromSeconds(1));
        Assert.False(sync.WaitsForSettings(Now));
        Assert.False(sync.WaitsForSettings(Now));
        Assert.Single(LogLines, line => line.Contains("did not appear: the meter registers from the config"));
    }

    [Fact]
    public void The_stored_role_wins_before_the_meter_registers()
    {
        var sync = Sync(_store, wait: TimeSpan.FromSeconds(60));
        sync.OnPresence(true);
        sync.OnPresence(true); // the start-up race: reported by the signal and by the question "is it there?"
        sync.LoadIfAsked();
        sync.LoadIfAsked();
        Assert.Equal(1, _store.AddCalls);
        Assert.True(sync.WaitsForSettings(Now));

        _store.Answer(EarlierRun);
        Eventually(() => !sync.WaitsForSettings(Now), "still waiting after the answer");
        var change = sync.TakeChange();
        Assert.NotNull(change);
        Assert.Equal(new DeviceSetup(Role.AcLoad, 45, "Boiler", 1), change.Value.Wanted);
        Assert.Equal(FromConfig, change.Value.Shown);
        Assert.Equal(change.Value.Wanted, sync.Shown);
        Assert.Null(sync.TakeChange());
    }

    [Fact]
    public void A_slow_AddSettings_is_waited_for_said_once_and_still_counts()
    {
        var sync = Sync(_store);
        sync.OnPresence(true);
        sync.LoadIfAsked();
        Advance(TimeSpan.FromSeconds(12));
        Eventually(() => LogLines.Any(line => line.Contains("has not answered AddSettings for 10 s; still waiting")), "no slow line:\n" + _log);
        Assert.True(sync.WaitsForSettings(Now));
        Assert.Equal(1, _store.AddCalls);

        _store.Answer(EarlierRun);
        Eventually(() => sync.TakeChange() is { Wanted.Role: Role.AcLoad }, "the late answer did not count");
        Eventually(() => LogLines.Any(line => line.Contains(": acload:45, name 'Boiler', position 1 (answered after 12.0 s)")), "no load line:\n" + _log);
        Assert.Single(LogLines, line => line.Contains("still waiting"));
    }

    [Fact]
    public void After_three_AddSettings_errors_the_meter_registers_from_its_config_and_keeps_trying_with_one_line_per_error()
    {
        var sync = Sync(_store);
        sync.OnPresence(true);
        sync.LoadIfAsked();
        for (int failure = 1; failure <= 3; failure++)
        {
            Assert.True(sync.WaitsForSettings(Now), $"not waiting before error {failure}");
            if (failure > 1)
            {
                Eventually(() => _time.Timers == 2 * (failure - 1), "no retry timer"); // the patience timer and the retry's
                Advance(SettingsSync.Patience - TimeSpan.FromSeconds(1));
                Assert.Equal(0, _store.Pending); // not sent again before 10 s
                AdvanceUntil(() => _store.Pending == 1, TimeSpan.FromSeconds(3), $"AddSettings {failure} not sent");
            }
            _store.Fail("org.freedesktop.DBus.Python.TypeError: Traceback (most recent call last):\n  File \"x.py\", line 1\nTypeError: boom");
            Eventually(() => LogLines.Count(line => line.Contains("failed AddSettings")) == failure, "no line for error " + failure);
        }
        Assert.False(sync.WaitsForSettings(Now));
        string[] errors = [.. LogLines.Where(line => line.Contains("failed AddSettings"))];
        Assert.Equal(3, errors.Length);
        Assert.All(errors, line => Assert.Contains("TypeError: boom", line));
        Assert.EndsWith("3 times in a row, so the meter uses its config; trying again every 60 s", errors[2]);

        // In the background it goes on, every minute, and a later success still wins.
        Eventually(() => _time.Timers == 6, "no retry timer");
        Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, _store.Pending);
        AdvanceUntil(() => _store.Pending == 1, TimeSpan.FromSeconds(3), "no retry after a minute");
        _store.Answer(EarlierRun);
        Eventually(() => sync.TakeChange() is { Wanted.Role: Role.AcLoad }, "the late success did not count");
    }

    [Fact]
    public void A_settings_service_that_leaves_with_AddSettings_pending_is_loaded_once_when_it_returns()
    {
        var sync = Sync(_store);
        sync.OnPresence(true);
        sync.LoadIfAsked();
        sync.OnPresence(false);
        Assert.Contains(LogLines, line => line.Contains("left D-Bus: changes are kept in memory"));
        sync.OnPresence(true);
        sync.LoadIfAsked();
        Assert.Equal(2, _store.AddCalls);

        _store.Answer((Paths.ClassAndVrmInstance, BusValue.Of("genset:7"))); // the first, stale answer: dropped
        _store.Answer(EarlierRun);
        Eventually(() => sync.TakeChange() is { Wanted.Role: Role.AcLoad }, "the returning service was not loaded");
        Eventually(() => LogLines.Any(line => line.Contains("settings in com.victronenergy.settings under")), "no load line:\n" + _log);
        Assert.DoesNotContain(LogLines, line => line.Contains("genset"));
        Assert.Single(LogLines, line => line.Contains("settings in com.victronenergy.settings under"));
    }

    [Fact]
    public void Changes_made_on_the_meter_while_the_settings_service_is_away_win_and_are_saved()
    {
        var sync = Sync(_store);
        var table = new ItemTable();
        Assert.Equal(SetValueResult.Accepted, sync.Write(table, MeterPaths.CustomName, BusValue.Of("Shed")));
        Assert.Equal(SetValueResult.Accepted, sync.Write(table, MeterPaths.Role, BusValue.Of("heatpump")));
        var shown = sync.TakeChange()!.Value.Wanted;
        Assert.Equal(new DeviceSetup(Role.HeatPump, 40, "Shed", 0), shown);
        sync.Save(shown);
        Assert.Empty(_store.Saved); // nothing is loaded: nothing to compare with yet

        sync.OnPresence(true);
        sync.LoadIfAsked();
        _store.Answer(EarlierRun);
        SetupChange? change = null;
        Eventually(() => (change = sync.TakeChange()) is not null, "not loaded");
        // The role written on the meter wins with the instance it had; the position comes from the store.
        Assert.Equal(new DeviceSetup(Role.HeatPump, 40, "Shed", 1), change!.Value.Wanted);
        sync.Save(change.Value.Wanted);
        Assert.Equal([(Paths.ClassAndVrmInstance, BusValue.Of("heatpump:40")), (Paths.CustomName, BusValue.Of("Shed"))], _store.Saved.ToArray());
        Eventually(() => LogLines.Any(line => line.Contains("(kept what was changed on the meter while it was away: ClassAndVrmInstance, CustomName)")), "no load line:\n" + _log);
    }

    [Fact]
    public void A_setting_changed_while_AddSettings_is_pending_is_applied_after_its_answer()
    {
        var sync = Sync(_store);
        sync.OnPresence(true);
        sync.LoadIfAsked();
        sync.OnSettingChanged(Paths.CustomName, BusValue.Of("Garage"));
        _store.Answer(EarlierRun);
        SetupChange? change = null;
        Eventually(() => (change = sync.TakeChange()) is not null, "not loaded");
        Assert.Equal(new DeviceSetup(Role.AcLoad, 45, "Garage", 1), change!.Value.Wanted);
    }

    [Fact]
    public void A_setting_changed_in_the_GUI_is_followed_and_a_senseless_one_ignored_with_a_warning()
    {
        var sync = Sync(_store);
        sync.OnPresence(true);
        sync.LoadIfAsked();
        _store.Answer();
        Eventually(() => sync.TakeChange() is not null, "not loaded"); // only a save is due
        int wakes = _wakes;
        sync.OnSettingChanged(Paths.ClassAndVrmInstance, BusValue.Of("grid:41"));
        Assert.True(_wakes > wakes);
        Assert.Equal(new DeviceSetup(Role.Grid, 41, "MQTT Grid", 0), sync.TakeChange()!.Value.Wanted);

        sync.OnSettingChanged(Paths.ClassAndVrmInstance, BusValue.Of("toaster:3"));
        Assert.Null(sync.TakeChange());
        Assert.Contains(LogLines, line => line.Contains("ignored a setting: /Settings/Devices/mqtt_40/ClassAndVrmInstance = 'toaster:3'"));
    }

    [Theory]
    [InlineData(MeterPaths.Role, "acload", SetValueResult.Accepted)]
    [InlineData(MeterPaths.Role, "boat", SetValueResult.Rejected)]
    [InlineData(MeterPaths.Role, "ACLOAD", SetValueResult.Rejected)]
    [InlineData(MeterPaths.Role, 3, SetValueResult.NotWritable)]
    [InlineData(MeterPaths.CustomName, "Kitchen", SetValueResult.Accepted)]
    [InlineData(MeterPaths.CustomName, "12345678901234567890123456789012", SetValueResult.Accepted)]
    [InlineData(MeterPaths.CustomName, "123456789012345678901234567890123", SetValueResult.Rejected)]
    [InlineData(MeterPaths.CustomName, 5, SetValueResult.NotWritable)]
    [InlineData(MeterPaths.Position, 1, SetValueResult.Accepted)]
    [InlineData(MeterPaths.Position, 2, SetValueResult.Rejected)]
    [InlineData(MeterPaths.Position, "1", SetValueResult.NotWritable)]
    [InlineData(MeterPaths.DeviceInstance, 7, SetValueResult.NotWritable)]
    public void Every_SetValue_the_meter_takes_is_answered_as_velib_answers(int row, object value, int expected)
    {
        var sync = Sync(store: null);
        var table = new ItemTable();
        var requested = value is string text ? BusValue.Of(text) : BusValue.Of((int)value);
        Assert.Equal(expected, sync.Write(table, row, requested));
        bool stored = expected == SetValueResult.Accepted && row != MeterPaths.Role; // a role is carried out by re-registering
        Assert.Equal(stored, table.IsPresent(row) && table[row] == requested);
        Assert.Equal(expected == SetValueResult.Accepted, sync.TakeChange() is not null);
    }

    [Fact]
    public void A_new_role_takes_a_name_the_user_never_changed_along()
    {
        var sync = Sync(store: null);
        sync.Write(new ItemTable(), MeterPaths.Role, BusValue.Of("acload"));
        Assert.Equal(new DeviceSetup(Role.AcLoad, 40, "MQTT AC Load", 0), sync.TakeChange()!.Value.Wanted);
    }
}

/// <summary>Fake time that counts the timers made, so a test moves time on only once the timer it is about has been set.</summary>
internal sealed class CountingTimeProvider : FakeTimeProvider
{
    private int _timers;

    public int Timers => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timers);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
