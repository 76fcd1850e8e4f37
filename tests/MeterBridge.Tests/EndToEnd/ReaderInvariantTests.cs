using System.Diagnostics;
using System.Globalization;
using System.Text;
using MeterBridge.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MeterBridge.Tests.EndToEnd;

/// <summary>
/// Victron's readers (velib's dbusmonitor under systemcalc, dbus-flashmq) scan a service once and then apply every
/// ItemsChanged. Invariant: such a reader holds exactly what a fresh GetItems returns, after every step — the real
/// binary, a real Mosquitto, a real dbus-daemon, and <see cref="CachingReader"/> as the reader.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReaderInvariantTests(ITestOutputHelper output)
{
    private const int DeviceInstance = 46;
    private static readonly string Grid = $"com.victronenergy.grid.mqtt_grid_{DeviceInstance}";
    private static readonly string AcLoad = $"com.victronenergy.acload.mqtt_acload_{DeviceInstance}";
    private const double Timeout = 0.25;

    [Fact]
    public void A_phase_that_ends_the_L1_mirror_leaves_no_L1_value_in_a_caching_reader()
    {
        using var rig = new Rig(deviceInstance: DeviceInstance);
        using var reader = CachingReader.Start(rig.Bus.Address);
        var bridge = rig.StartBridge(extra: ["--update-interval", "0"]);

        rig.Publish("""{"grid":{"power":413,"energy_forward":10}}""");
        Assert.True(reader.Pump(() => reader.Held(Grid) is not null, Rig.Deadline), "the reader never scanned the meter:\n" + bridge.Log);
        Assert.Equal("d 413", reader.Held(Grid)!["/Ac/L1/Power"].Value);
        Assert.Equal("d 10", reader.Held(Grid)!["/Ac/L1/Energy/Forward"].Value);

        rig.Publish("""{"grid":{"power":900,"L2":{"power":400}}}""");
        Assert.True(reader.Pump(() => reader.Held(Grid)!.TryGetValue("/Ac/L2/Power", out var l2) && l2.Value == "d 400", Rig.Deadline),
            "L2 never reached the reader:\n" + bridge.Log);

        var held = reader.Held(Grid)!;
        Assert.Equal("d 900", held["/Ac/Power"].Value);
        var l1 = held.Where(item => item.Key.StartsWith("/Ac/L1/", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, l1.Count);
        Assert.All(l1, item => Assert.Equal(new CachingReader.Item(CachingReader.Invalid, "s ---"), item.Value));
        Assert.Empty(reader.Verify([Grid], Rig.Deadline));
        Assert.Equal("(<@ai []>,)", rig.GetValue("/Ac/L1/Power", Grid));
    }

    [Fact]
    public void A_caching_reader_holds_what_GetItems_returns_after_every_step()
    {
        int steps = int.TryParse(Environment.GetEnvironmentVariable("MB_INVARIANT_STEPS"), out int s) ? s : 10_000;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("MB_INVARIANT_SEED"), out int fixedSeed) ? fixedSeed : Environment.TickCount;
        var run = new InvariantRun(seed, output);
        try
        {
            run.Run(steps);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"seed {seed} (rerun with MB_INVARIANT_SEED={seed}): {e.Message}", e);
        }
    }

    /// <summary>One seeded run: bridges of short lives, each with a timeout_action, fed a random mix of steps.</summary>
    private sealed class InvariantRun(int seed, ITestOutputHelper output)
    {
        private static readonly string[] Actions = ["remove", "zero", "invalidate"];
        private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(40);
        private static readonly TimeSpan Effect = TimeSpan.FromSeconds(2);

        private readonly Random _random = new(seed);
        private readonly Queue<string> _recent = new();
        private readonly Dictionary<string, int> _kinds = [];
        private Rig _rig = null!;
        private CachingReader _reader = null!;
        private BridgeProcess _bridge = null!;
        private string _role = "grid";
        private int _silentSteps;
        private int _l1Withdrawn;
        private int _retries;

        public void Run(int steps)
        {
            var clock = Stopwatch.StartNew();
            using var rig = new Rig(deviceInstance: DeviceInstance);
            using var reader = CachingReader.Start(rig.Bus.Address);
            using var publisher = new TestPublisher(rig.Broker.Port);
            _rig = rig;
            _reader = reader;
            int step = 0, segment = 0;
            while (step < steps)
            {
                string action = Actions[segment++ % Actions.Length];
                int length = Math.Min(_random.Next(30, 300), steps - step);
                int onset = _random.Next(0, length);  // the first phase: until then, a total-only meter with its L1 mirror
                StartBridge(action);
                bool accepted = false;
                for (int i = 0; i < length; i++, step++)
                {
                    string done = Step(publisher, phases: i >= onset, firstPhase: i == onset, ref accepted);
                    Remember($"{step} [{action}] {done}");
                    var problems = _reader.Verify([Grid, AcLoad], Rig.Deadline);
                    if (problems.Count > 0)
                        Assert.Fail($"seed {seed} (rerun with MB_INVARIANT_SEED={seed}), step {step}: the reader differs from GetItems:\n"
                            + string.Join('\n', problems.Take(20)) + "\nlast steps:\n" + string.Join('\n', _recent)
                            + "\nbridge log (end):\n" + string.Join('\n', _bridge.Lines.TakeLast(20)));
                    if (IsL1Withdrawn()) _l1Withdrawn++;
                }
                _bridge.Dispose(); // the service leaves with its process; the next bridge is a fresh meter
                Assert.True(_reader.Pump(() => _reader.Services.Count == 0, Rig.Deadline), $"seed {seed}: the reader still holds a departed service");
            }
            output.WriteLine($"seed {seed}: {steps} steps, {segment} bridges in {clock.Elapsed.TotalSeconds:0.0} s; " +
                $"{_reader.SignalsApplied} ItemsChanged applied, {_reader.Scans} scans, {_reader.Departures} departures, " +
                $"{_reader.Invalidations} paths invalidated by a signal, {_l1Withdrawn} steps with L1 invalid beside a valid phase, " +
                $"{_silentSteps} steps expected to change something that did not within {Effect.TotalSeconds} s, {_retries} role changes not completed");
            output.WriteLine("steps by kind: " + string.Join(", ", _kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
            // The mix did what it is for: withdrawn L1 mirrors, rescans after remove and role changes, invalidations.
            Assert.True(_l1Withdrawn > 0 || steps < 1000, "no step ended an L1 mirror with a phase");
            Assert.True(_reader.Scans > segment || steps < 1000, "no service was scanned twice by one reader");
            Assert.True(_silentSteps <= steps / 100, $"seed {seed}: {_silentSteps} steps changed nothing they should have");
        }

        private void StartBridge(string action)
        {
            _bridge = _rig.StartBridge(extra: ["--update-interval", "0", "--timeout", Timeout.ToString(CultureInfo.InvariantCulture),
                "--timeout-action", action]);
            _role = "grid";
            _recentPayload = null;
        }

        /// <summary>One random step, carried out and waited for; its description.</summary>
        private string Step(TestPublisher publisher, bool phases, bool firstPhase, ref bool lastAccepted)
        {
            int before = _reader.Events;
            int roll = _random.Next(1000);
            string kind;
            string? payload;
            bool changes = true;
            if (roll < 10)
            {
                kind = "stale";
                payload = null;
                // The stale timer fires Timeout after the last accepted message; already stale, nothing more happens.
                _reader.Pump(() => _reader.Events > before && !_reader.IsScanning, TimeSpan.FromSeconds(Timeout) + TimeSpan.FromMilliseconds(300));
                lastAccepted = false;
                return Count(kind);
            }
            if (roll < 20 && lastAccepted && _reader.Services.Count == 1)
            {
                string from = _reader.Services.Single(), to = _role == "grid" ? "acload" : "grid";
                int answer = _reader.SetValue(from, "/Role", to);
                Assert.Equal(0, answer);
                _role = to;
                string name = to == "grid" ? Grid : AcLoad;
                if (!_reader.Pump(() => _reader.Held(name) is not null && !_reader.IsScanning, Rig.Deadline)) _retries++;
                return Count("role " + to);
            }
            if (roll < 100) { kind = "rejected"; payload = Rejected(); changes = false; }
            else if (roll < 120) { kind = "repeat"; payload = _recentPayload; changes = false; }
            else if (firstPhase) { kind = "first phase"; payload = FirstPhase(); }
            else if (!phases || roll < 350) { kind = "total"; payload = Total(); }
            else if (roll < 550) { kind = "flat"; payload = Flat(); }
            else { kind = "nested"; payload = Nested(); }
            if (payload is null) { kind = "total"; payload = Total(); changes = true; }

            publisher.Publish(Encoding.UTF8.GetBytes(payload));
            if (changes) _recentPayload = payload;
            lastAccepted = changes || (kind == "repeat" && lastAccepted);
            if (!_reader.Pump(() => _reader.Events > before && !_reader.IsScanning, changes ? Effect : Quiet) && changes) _silentSteps++;
            return Count(kind) + " " + payload;
        }

        private string? _recentPayload;

        private string Count(string kind)
        {
            _kinds[kind] = _kinds.GetValueOrDefault(kind) + 1;
            return kind;
        }

        private void Remember(string step)
        {
            _recent.Enqueue(step);
            if (_recent.Count > 15) _recent.Dequeue();
        }

        private bool IsL1Withdrawn()
        {
            if (_reader.Services.Count != 1) return false;
            var held = _reader.Held(_reader.Services.Single())!;
            return held.TryGetValue("/Ac/L1/Power", out var l1) && !l1.IsValid
                && held.TryGetValue("/Connected", out var connected) && connected.Value == "i 1"
                && ((held.TryGetValue("/Ac/L2/Power", out var l2) && l2.IsValid) || (held.TryGetValue("/Ac/L3/Power", out var l3) && l3.IsValid));
        }

        private string Number(double low, double high) =>
            (low + _random.NextDouble() * (high - low)).ToString("0.##", CultureInfo.InvariantCulture);

        private string Power() => Number(-5000, 5000);

        private const string Time = "\"Time\":\"2023-11-22T21:57:13\",";

        /// <summary><c>{"grid":{members}}</c>, Tasmota's "Time" first when asked.</summary>
        private static string GridJson(bool time, params string[] members) =>
            "{" + (time ? Time : "") + "\"grid\":{" + string.Join(',', members) + "}}";

        private static string Key(string key, string value) => $"\"{key}\":{value}";

        private string Total() => _random.Next(4) switch
        {
            0 => GridJson(false, Key("power", Power())),
            1 => GridJson(true, Key("power", Power()), Key("energy_forward", Number(0, 1e5))),
            2 => GridJson(false, Key("energy_forward", Number(0, 1e5)), Key("energy_reverse", Number(0, 1e4))),
            _ => GridJson(false, Key("power", Power()), Key("voltage", Number(220, 240)), Key("current", Number(0, 20))),
        };

        private string FirstPhase()
        {
            string phase = "L" + _random.Next(1, 4);
            return _random.Next(2) == 0
                ? GridJson(false, Key("power", Power()), Key(phase, "{" + Key("power", Power()) + "}"))
                : GridJson(true, Key("power_" + phase, Power()));
        }

        private string Flat()
        {
            string phase = "L" + _random.Next(1, 4);
            return _random.Next(4) switch
            {
                0 or 1 => GridJson(true, Key("power_" + phase, Power())),
                2 => GridJson(false, Key("voltage_" + phase, Number(220, 240))),
                _ => GridJson(false, Key("energy_forward_" + phase, Number(0, 1e5))),
            };
        }

        private string Nested()
        {
            var parts = new List<string>();
            if (_random.Next(2) == 0) parts.Add($"\"power\":{Power()}");
            foreach (string phase in (string[])["L1", "L2", "L3"])
            {
                if (_random.Next(2) == 0) continue;
                var quantities = new List<string> { $"\"power\":{Power()}" };
                if (_random.Next(3) == 0) quantities.Add($"\"voltage\":{Number(220, 240)}");
                if (_random.Next(3) == 0) quantities.Add($"\"current\":{Number(-20, 20)}");
                if (_random.Next(4) == 0) quantities.Add($"\"frequency\":{Number(49.8, 50.2)}");
                if (_random.Next(4) == 0) quantities.Add($"\"power_factor\":{Number(-1, 1)}");
                if (_random.Next(4) == 0) quantities.Add($"\"energy_forward\":{Number(0, 1e5)}");
                parts.Add($"\"{phase}\":{{{string.Join(',', quantities)}}}");
            }
            if (parts.Count == 0) parts.Add(Key("power", Power()));
            return GridJson(false, [.. parts]);
        }

        private string Rejected() => _random.Next(6) switch
        {
            0 => """{"grid":{"L1":{"power":99999}}}""",
            1 => """{"grid":{"power":999999}}""",
            2 => "{not json",
            3 => """{"grid":{"power":"unavailable"}}""",
            4 => """{"grid":{"voltage_L2":-5}}""",
            _ => """{"grid":{}}""",
        };
    }
}
