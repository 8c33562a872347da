using System.Text;
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
        return new WetConversionRecord(header, language, Encoding.UTF8.GetString(payload), payload.Length);
    }
}
