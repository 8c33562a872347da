namespace LetsData.Plugins.Samples.WetText;

/// <summary>The keys of the values in a <see cref="WetTextParser"/> document.</summary>
public static class WetTextKeys
{
    /// <summary>The page URL (<c>WARC-Target-URI</c>); also the document id and partition key.</summary>
    public const string Url = "url";

    /// <summary>The identified language(s) (<c>WARC-Identified-Content-Language</c>), or null.</summary>
    public const string Language = "language";

    /// <summary>The MIME type of the text (<c>Content-Type</c>), or null.</summary>
    public const string ContentType = "contentType";

    /// <summary>The length of the text in bytes (<c>Content-Length</c>), a number.</summary>
    public const string ContentLength = "contentLength";

    /// <summary>The digest of the text (<c>WARC-Block-Digest</c>), or null.</summary>
    public const string BlockDigest = "blockDigest";

    /// <summary>The capture date (<c>WARC-Date</c>), or null.</summary>
    public const string WarcDate = "warcDate";

    /// <summary>The WET record's id (<c>WARC-Record-ID</c>), or null.</summary>
    public const string RecordId = "recordId";

    /// <summary>The extracted page text: the <c>Content-Length</c> payload bytes decoded as UTF-8.</summary>
    public const string Text = "text";
}
