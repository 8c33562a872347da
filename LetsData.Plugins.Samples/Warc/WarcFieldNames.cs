namespace LetsData.Plugins.Samples.Warc;

/// <summary>Names of the WARC header fields the samples read (WARC 1.0/1.1; matched ignoring case).</summary>
public static class WarcFieldNames
{
    /// <summary>The record type: <c>warcinfo</c>, <c>request</c>, <c>response</c>, <c>conversion</c>, ...</summary>
    public const string Type = "WARC-Type";

    /// <summary>The URI the record was captured from.</summary>
    public const string TargetUri = "WARC-Target-URI";

    /// <summary>The record's globally unique id, e.g. <c>&lt;urn:uuid:...&gt;</c>.</summary>
    public const string RecordId = "WARC-Record-ID";

    /// <summary>When the record was captured (ISO 8601).</summary>
    public const string Date = "WARC-Date";

    /// <summary>The digest of the record block, e.g. <c>sha1:...</c>.</summary>
    public const string BlockDigest = "WARC-Block-Digest";

    /// <summary>Common Crawl's language identification of the text, e.g. <c>spa</c> or <c>eng,fra</c>.</summary>
    public const string IdentifiedContentLanguage = "WARC-Identified-Content-Language";

    /// <summary>The MIME type of the record block.</summary>
    public const string ContentType = "Content-Type";

    /// <summary>The number of bytes in the record block (the payload after the header block).</summary>
    public const string ContentLength = "Content-Length";
}
