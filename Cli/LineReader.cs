namespace MeterBridge.Cli;

/// <summary>
/// The lines of a byte stream, split at '\n' (a '\r' before it is dropped), read in chunks into one reused buffer.
/// A line longer than the limit is counted but not kept, so no line, however long, is ever held whole.
/// </summary>
internal sealed class LineReader(Stream input, int limit)
{
    private readonly byte[] _chunk = new byte[64 * 1024];
    private byte[] _line = new byte[4096];
    private int _start, _end;
    private bool _ended;

    /// <summary>A line: its bytes (empty when it was over the limit) and its length in bytes.</summary>
    public readonly record struct Line(byte[] Buffer, int Kept, long Length)
    {
        public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Kept);
    }

    /// <summary>The next line, or null at the end (a last line without '\n' still counts; an empty end does not).</summary>
    public Line? Next()
    {
        int kept = 0;
        long length = 0;
        bool any = false;
        while (true)
        {
            if (_start == _end)
            {
                if (_ended || (_end = input.Read(_chunk, 0, _chunk.Length)) == 0)
                {
                    _ended = true;
                    _start = _end = 0;
                    return any ? Finish(kept, length) : null;
                }
                _start = 0;
            }
            any = true;
            int newline = Array.IndexOf(_chunk, (byte)'\n', _start, _end - _start);
            int stop = newline < 0 ? _end : newline;
            int count = stop - _start;
            if (length + count <= limit + 1L) // one byte over the limit is kept: a '\r' may still go
            {
                if (_line.Length < kept + count) Array.Resize(ref _line, Math.Max(_line.Length * 2, kept + count));
                Array.Copy(_chunk, _start, _line, kept, count);
                kept += count;
            }
            length += count;
            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0) return Finish(kept, length);
        }
    }

    private Line Finish(int kept, long length)
    {
        if (length == kept && kept > 0 && _line[kept - 1] == (byte)'\r') { kept--; length--; }
        else if (length != kept) kept = 0;
        return new Line(_line, kept, length);
    }
}
