using System.Buffers.Text;
using System.Text;

namespace LetsData.Plugins.Samples.Warc;

/// <summary>Decodes WARC header field values; call only for the values a document needs.</summary>
public static class WarcFieldValue
{
    // Error messages quote the offending value; a garbage header must not produce a huge message.
    private const int MaxQuotedBytes = 64;

    /// <summary>Decodes a field value as UTF-8 text (WARC 1.1 header values are UTF-8; 1.0 is ASCII).</summary>
    /// <param name="value">The value bytes.</param>
    /// <returns>The text; invalid UTF-8 sequences become U+FFFD.</returns>
    public static string ToText(ReadOnlySpan<byte> value) => Encoding.UTF8.GetString(value);

    /// <summary>
    /// Decodes a <c>WARC-Target-URI</c> value, dropping the angle brackets some writers (wget, the
    /// WARC 1.0 spec's own examples) put around it.
    /// </summary>
    /// <param name="value">The value bytes.</param>
    /// <returns>The URI text; empty when the value is empty or only <c>&lt;&gt;</c>.</returns>
    public static string ToUri(ReadOnlySpan<byte> value)
    {
        if (value.Length >= 2 && value[0] == (byte)'<' && value[^1] == (byte)'>')
        {
            value = value[1..^1].Trim(" \t"u8);
        }
        return ToText(value);
    }

    /// <summary>Parses a non-negative decimal length such as a <c>Content-Length</c> value.</summary>
    /// <param name="value">The value bytes.</param>
    /// <param name="length">The parsed length.</param>
    /// <returns><see langword="false"/> unless the whole value is a decimal number from 0 to <see cref="long.MaxValue"/>.</returns>
    public static bool TryParseLength(ReadOnlySpan<byte> value, out long length) =>
        Utf8Parser.TryParse(value, out length, out var consumed)
        && consumed == value.Length
        && value[0] is >= (byte)'0' and <= (byte)'9';

    /// <summary>Decodes at most the first 64 bytes of a value, for quoting it in an error message.</summary>
    /// <param name="value">The value bytes.</param>
    /// <returns>The quoted text, with "..." when it was cut.</returns>
    public static string Quote(ReadOnlySpan<byte> value) =>
        value.Length <= MaxQuotedBytes ? ToText(value) : ToText(value[..MaxQuotedBytes]) + "...";
}
