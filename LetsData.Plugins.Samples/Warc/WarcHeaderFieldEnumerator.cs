namespace LetsData.Plugins.Samples.Warc;

/// <summary>Walks the <c>Name: value</c> lines of a <see cref="WarcHeaderBlock"/> without allocating.</summary>
public ref struct WarcHeaderFieldEnumerator
{
    private ReadOnlySpan<byte> _remaining;
    private WarcHeaderField _current;

    /// <summary>Creates an enumerator over header lines separated by <c>\r\n</c>.</summary>
    /// <param name="lines">The header lines (see <see cref="WarcHeaderBlock.Lines"/>).</param>
    public WarcHeaderFieldEnumerator(ReadOnlySpan<byte> lines)
    {
        _remaining = lines;
        _current = default;
    }

    /// <summary>The field at the current position.</summary>
    public readonly WarcHeaderField Current => _current;

    /// <summary>Moves to the next named field.</summary>
    /// <returns><see langword="false"/> when there are no more fields.</returns>
    public bool MoveNext()
    {
        while (!_remaining.IsEmpty)
        {
            var line = NextLine();
            // A leading space or tab marks a continuation line; no real WARC writer folds lines,
            // and treating one as a field would invent a name.
            if (line.IsEmpty || line[0] is (byte)' ' or (byte)'\t')
            {
                continue;
            }
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }
            _current = new WarcHeaderField(Trim(line[..colon]), Trim(line[(colon + 1)..]));
            return true;
        }
        return false;
    }

    private ReadOnlySpan<byte> NextLine()
    {
        var endOfLine = _remaining.IndexOf("\r\n"u8);
        ReadOnlySpan<byte> line;
        if (endOfLine < 0)
        {
            line = _remaining;
            _remaining = default;
        }
        else
        {
            line = _remaining[..endOfLine];
            _remaining = _remaining[(endOfLine + 2)..];
        }
        return line;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text) => text.Trim(" \t"u8);
}
