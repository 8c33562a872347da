using LetsData.Interfaces.Util;

namespace LetsData.Plugins.Samples.Warc;

/// <summary>
/// The header block of one WARC record, read in place from the record bytes: the named fields up to
/// the blank line (<c>\r\n\r\n</c>) that separates them from the record's payload.
/// </summary>
/// <remarks>
/// Nothing is copied or decoded: fields are found by a case-insensitive ASCII name match over the
/// bytes, and only the values a parser asks for are decoded (see <see cref="WarcFieldValue"/>).
/// Lines without a colon (the <c>WARC/1.0</c> version line) are skipped. Continuation lines (a line
/// starting with a space or tab, allowed but unused by real writers) are skipped too rather than
/// joined. When a field occurs more than once, the first occurrence wins.
/// <code language="csharp">
/// if (!WarcHeaderBlock.TryRead(record, out var header))
/// {
///     // no blank line: malformed record
/// }
/// if (header.TryGetValue(WarcFieldNames.ContentLength, out var value)
///     &amp;&amp; WarcFieldValue.TryParseLength(value, out long contentLength))
/// {
///     var payload = record.Slice(header.PayloadStart, (int)contentLength);
/// }
/// </code>
/// </remarks>
public readonly ref struct WarcHeaderBlock
{
    // WARC (like HTTP) ends the header block with an empty line.
    private const string HeaderTerminator = "\r\n\r\n";

    private WarcHeaderBlock(ReadOnlySpan<byte> lines, int payloadStart)
    {
        Lines = lines;
        PayloadStart = payloadStart;
    }

    /// <summary>
    /// The header lines, from the first byte of the record up to (not including) the blank line;
    /// the last line has no trailing <c>\r\n</c>.
    /// </summary>
    public ReadOnlySpan<byte> Lines { get; }

    /// <summary>The index in the record of the first payload byte (just after the blank line).</summary>
    public int PayloadStart { get; }

    /// <summary>Finds the header block at the start of <paramref name="record"/>.</summary>
    /// <param name="record">The record bytes, starting at (or inside) the WARC header block.</param>
    /// <param name="headerBlock">The header block, when found.</param>
    /// <returns><see langword="false"/> when no blank line ends the header block.</returns>
    public static bool TryRead(ReadOnlySpan<byte> record, out WarcHeaderBlock headerBlock)
    {
        var end = Matcher.Match(record, HeaderTerminator);
        if (end < 0)
        {
            headerBlock = default;
            return false;
        }
        headerBlock = new WarcHeaderBlock(record[..end], end + HeaderTerminator.Length);
        return true;
    }

    /// <summary>Looks up a field by name, ignoring ASCII case.</summary>
    /// <param name="name">The field name, e.g. <see cref="WarcFieldNames.TargetUri"/>.</param>
    /// <param name="value">The value of the first field of that name, without surrounding spaces or tabs.</param>
    /// <returns><see langword="true"/> when the field is present (its value may be empty).</returns>
    public bool TryGetValue(string name, out ReadOnlySpan<byte> value)
    {
        foreach (var field in this)
        {
            if (field.NameEquals(name))
            {
                value = field.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Enumerates the named fields in order, so that several can be picked up in one pass.</summary>
    /// <returns>An enumerator over the fields.</returns>
    public WarcHeaderFieldEnumerator GetEnumerator() => new(Lines);
}
