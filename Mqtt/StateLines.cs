namespace MeterBridge.Mqtt;

/// <summary>
/// <c>run --report-state</c> (what <c>meterbridge app</c> starts its meters with): the status as one line
/// <c>@state {json}</c> on standard error (the <see cref="StatusJson.State"/> object) whenever it changes, so the app
/// shows each meter's state without asking. Standard error, because the log's lines on standard output are written in
/// pieces and a line of ours must not land inside one. Costs what <see cref="StatusPublisher"/> costs: nothing per
/// accepted message; a rejection is compared by kind and wakes the publisher thread only when its kind is new.
/// Passes everything on to the status on the broker when there is one.
/// </summary>
internal sealed class StateLines(TextWriter output, IStatusSink? inner) : IStatusSink
{
    public const string Prefix = "@state ";

    private readonly Lock _gate = new();
    private BridgeStatus? _written;
    private string? _rejected;
    private string? _rejectedKind;
    private bool _pending = true;

    public long Show(BridgeStatus status, long now)
    {
        long due = inner?.Show(status, now) ?? long.MaxValue;
        string? rejected;
        lock (_gate)
        {
            if (!ReferenceEquals(status, _written))
            {
                _pending |= status != _written;
                _written = status;
            }
            if (!_pending) return due;
            _pending = false;
            rejected = _rejected;
        }
        output.WriteLine(Prefix + System.Text.Encoding.UTF8.GetString(StatusJson.State(status, rejected)));
        return due;
    }

    public bool Rejected(string reason, string kind)
    {
        bool wake = inner?.Rejected(reason, kind) == true;
        lock (_gate)
        {
            _rejected = reason;
            if (kind == _rejectedKind || _pending) return wake;
            _rejectedKind = kind;
            _pending = true;
            return true;
        }
    }
}
