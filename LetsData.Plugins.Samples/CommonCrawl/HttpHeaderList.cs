using System.Collections;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The headers of an HTTP head kept as their raw bytes and decoded into (name, value) strings only when first read.
/// The multi-file reader never reads the request and response headers of the records it joins (it takes the
/// Content-Type straight from the head), so most of them are never decoded.
/// </summary>
public sealed class HttpHeaderList : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly byte[] _headerLines;
    private List<KeyValuePair<string, string>>? _decoded;

    /// <summary>Copies the header lines of a head (without its start line and blank line).</summary>
    /// <param name="headerLines">The header lines.</param>
    public HttpHeaderList(ReadOnlySpan<byte> headerLines) => _headerLines = headerLines.ToArray();

    /// <inheritdoc/>
    public int Count => Decoded.Count;

    /// <inheritdoc/>
    public KeyValuePair<string, string> this[int index] => Decoded[index];

    private List<KeyValuePair<string, string>> Decoded => _decoded ??= HttpHead.DecodeHeaderLines(_headerLines);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Decoded.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
