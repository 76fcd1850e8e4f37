using System.Collections.Concurrent;
using MeterBridge.DBus;
using MeterBridge.Items;

namespace MeterBridge.Tests.Setup;

/// <summary>
/// A settings service the test answers by hand: each AddSettings waits for <see cref="Answer"/> or <see cref="Fail"/>,
/// each SetValue is recorded and answered 0. Answers complete on the test's thread, so what follows runs there too.
/// </summary>
internal sealed class FakeSettingsStore : ISettingsStore
{
    private readonly ConcurrentQueue<TaskCompletionSource<SettingValue[]>> _pending = new();

    public int AddCalls;
    public ConcurrentQueue<(string Path, BusValue Value)> Saved { get; } = new();

    public Task<SettingValue[]> AddAsync(IReadOnlyList<SettingDefault> settings)
    {
        Interlocked.Increment(ref AddCalls);
        var answer = new TaskCompletionSource<SettingValue[]>();
        _pending.Enqueue(answer);
        return answer.Task;
    }

    public Task<int> SetAsync(string path, BusValue value)
    {
        Saved.Enqueue((path, value));
        return Task.FromResult(0);
    }

    /// <summary>Answers the oldest pending AddSettings with these stored values (path → value).</summary>
    public void Answer(params (string Path, BusValue Value)[] stored) =>
        Next().SetResult([.. stored.Select(s => new SettingValue(s.Path, 0, s.Value))]);

    /// <summary>Answers the oldest pending AddSettings with an error, as a Python service would.</summary>
    public void Fail(string message) => Next().SetException(new InvalidOperationException(message));

    public int Pending => _pending.Count;

    private TaskCompletionSource<SettingValue[]> Next() =>
        _pending.TryDequeue(out var next) ? next : throw new InvalidOperationException("no AddSettings is pending");
}
