using LetsData.Plugins.Samples.Warc;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The state-machine parser of Common Crawl WET files (file type <c>WET</c>): <c>warcinfo</c>, then one
/// <c>conversion</c> record per page with text, as <see cref="WarcInfoRecord"/> and <see cref="WetConversionRecord"/>
/// documents. See <see cref="CommonCrawlFileParser"/> for delimiters and error handling.
/// </summary>
public sealed class WetFileParser : CommonCrawlFileParser
{
    /// <summary>The file type this parser reads.</summary>
    public const string FileType = "WET";

    private static readonly RecordTypeCycle WetCycle = new(FileType, 1, CommonCrawlRecordTypes.WetInfo, CommonCrawlRecordTypes.WetConversion);

    /// <summary>Creates the parser.</summary>
    public WetFileParser()
        : base(FileType, CommonCrawlRecordTypes.WetError, WetCycle)
    {
    }

    private protected override CommonCrawlRecord ParsePayload(string expectedRecordType, CommonCrawlHeader header,
        WarcHeaderBlock block, ReadOnlySpan<byte> payload)
    {
        if (expectedRecordType == CommonCrawlRecordTypes.WetInfo)
        {
            return new WarcInfoRecord(header, expectedRecordType, ReadFields(payload));
        }

        var language = block.TryGetValue(WarcFieldNames.IdentifiedContentLanguage, out var value) ? WarcFieldValue.ToText(value) : null;
        // Kept as the payload's UTF-8 bytes (a copy, no decoding or validation): the index record writes them into its
        // JSON as they are, and invalid sequences become U+FFFD when that JSON is decoded to the serialized string —
        // exactly as decoding the payload to a string would replace them (see CommonCrawlJson.WriteLongString).
        return new WetConversionRecord(header, language, payload.ToArray(), payload.Length);
    }
}
