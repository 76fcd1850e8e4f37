using System.Collections.Concurrent;
using System.Diagnostics;

namespace MeterBridge.Tests.Infrastructure;

/// <summary>
/// <c>mosquitto_sub -v</c> on some topic filters: what a Home Assistant or Node-RED on the broker would see, one
/// <c>topic payload</c> line per message (retained ones first). Killed on Dispose.
/// </summary>
public sealed class MosquittoSub : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public MosquittoSub(int port, params string[] filters)
    {
        _process = Tool.Start("mosquitto_sub", ["-h", "127.0.0.1", "-p", port.ToString(), "-v", .. filters.SelectMany(f => new[] { "-t", f })]);
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
    }

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The payloads received on <paramref name="topic"/>, in order.</summary>
    public List<string> On(string topic) =>
        Lines.Where(l => l.StartsWith(topic + " ", StringComparison.Ordinal)).Select(l => l[(topic.Length + 1)..]).ToList();

    /// <summary>Polls until <paramref name="condition"/> holds; false when it did not within <paramref name="timeout"/>.</summary>
    public bool WaitFor(Func<MosquittoSub, bool> condition, TimeSpan timeout) => SpinWait.SpinUntil(() =>
    {
        if (condition(this)) return true;
        Thread.Sleep(20);
        return false;
    }, timeout);

    public string Dump() => string.Join('\n', Lines);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
