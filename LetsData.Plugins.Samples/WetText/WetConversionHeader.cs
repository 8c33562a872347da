using LetsData.Plugins.Samples.Warc;

namespace LetsData.Plugins.Samples.WetText;

/// <summary>
/// The header fields of a WET <c>conversion</c> record that <see cref="WetTextParser"/> uses, picked up
/// in a single pass over the header block and kept as undecoded slices of the record.
/// </summary>
public readonly ref struct WetConversionHeader
{
    private WetConversionHeader(ReadOnlySpan<byte> targetUri, ReadOnlySpan<byte> language,
                                ReadOnlySpan<byte> contentType, ReadOnlySpan<byte> contentLength,
                                ReadOnlySpan<byte> blockDigest, ReadOnlySpan<byte> date,
                                ReadOnlySpan<byte> recordId, bool hasTargetUri, bool hasContentLength)
    {
        TargetUri = targetUri;
        Language = language;
        ContentType = contentType;
        ContentLength = contentLength;
        BlockDigest = blockDigest;
        Date = date;
        RecordId = recordId;
        HasTargetUri = hasTargetUri;
        HasContentLength = hasContentLength;
    }

    /// <summary>The <c>WARC-Target-URI</c> value (see <see cref="HasTargetUri"/>).</summary>
    public ReadOnlySpan<byte> TargetUri { get; }

    /// <summary>The <c>WARC-Identified-Content-Language</c> value; empty when absent.</summary>
    public ReadOnlySpan<byte> Language { get; }

    /// <summary>The <c>Content-Type</c> value; empty when absent.</summary>
    public ReadOnlySpan<byte> ContentType { get; }

    /// <summary>The undecoded <c>Content-Length</c> value (see <see cref="HasContentLength"/>).</summary>
    public ReadOnlySpan<byte> ContentLength { get; }

    /// <summary>The <c>WARC-Block-Digest</c> value; empty when absent.</summary>
    public ReadOnlySpan<byte> BlockDigest { get; }

    /// <summary>The <c>WARC-Date</c> value; empty when absent.</summary>
    public ReadOnlySpan<byte> Date { get; }

    /// <summary>The <c>WARC-Record-ID</c> value; empty when absent.</summary>
    public ReadOnlySpan<byte> RecordId { get; }

    /// <summary>Whether the header has a <c>WARC-Target-URI</c> field.</summary>
    public bool HasTargetUri { get; }

    /// <summary>Whether the header has a <c>Content-Length</c> field.</summary>
    public bool HasContentLength { get; }

    /// <summary>
    /// Collects the fields from a header block. The first occurrence of a field wins (for the fields
    /// that may be absent, the first non-empty one).
    /// </summary>
    /// <param name="header">The record's header block.</param>
    /// <returns>The fields found.</returns>
    public static WetConversionHeader Read(WarcHeaderBlock header)
    {
        ReadOnlySpan<byte> targetUri = default, language = default, contentType = default,
            contentLength = default, blockDigest = default, date = default, recordId = default;
        bool hasTargetUri = false, hasContentLength = false;
        foreach (var field in header)
        {
            if (!hasTargetUri && field.NameEquals(WarcFieldNames.TargetUri))
            {
                targetUri = field.Value;
                hasTargetUri = true;
            }
            else if (!hasContentLength && field.NameEquals(WarcFieldNames.ContentLength))
            {
                contentLength = field.Value;
                hasContentLength = true;
            }
            else
            {
                PickFirst(field, WarcFieldNames.IdentifiedContentLanguage, ref language);
                PickFirst(field, WarcFieldNames.ContentType, ref contentType);
                PickFirst(field, WarcFieldNames.BlockDigest, ref blockDigest);
                PickFirst(field, WarcFieldNames.Date, ref date);
                PickFirst(field, WarcFieldNames.RecordId, ref recordId);
            }
        }
        return new WetConversionHeader(targetUri, language, contentType, contentLength, blockDigest,
                                       date, recordId, hasTargetUri, hasContentLength);
    }

    private static void PickFirst(WarcHeaderField field, string name, ref ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty && field.NameEquals(name))
        {
            value = field.Value;
        }
    }
}
