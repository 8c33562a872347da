using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The Common Crawl multiple-file state-machine reader (the port of LetsData's CommonCrawlReader): joins the WARC,
/// WAT and WET files of one crawl segment into one <see cref="IndexRecord"/> per crawled URL.
/// </summary>
/// <remarks>
/// <para>Per call, for one URL: on the first call each file's header records (warcinfo, WAT warcinfo metadata) are
/// skipped; then the WAT request/response/metadata metadata records and the WARC request/response/metadata records
/// are consumed and their target URIs must agree; then the WET file is re-synchronised by peeking at its next
/// conversion record:</para>
/// <list type="bullet">
/// <item>same URL: consumed and used (an error document for the same URL is consumed and reported);</item>
/// <item>another URL: WET has no record for this URL. The record is left unconsumed for a later URL and is
/// <b>not</b> used for this one (the Java original built the document from the mismatched text); this URL gets a
/// SKIP, like a URL after the end of the WET file. A SKIP rather than an index record without text: every index record
/// then has its text, and "no text" is visible in the skip count instead of as empty documents downstream;</item>
/// <item>a WET error record whose URL could not be read: consumed and reported with this URL's errors (it cannot be
/// attributed, and leaving it would block the WET file for every later URL).</item>
/// </list>
/// <para>Results: Success with the index record; Error when any record of the URL failed to parse, target URIs
/// disagree or a file ended before the URL's records were complete, carrying every part's error documents and
/// one per problem, each with the offsets of all three files; Skip when only the WET text is missing; Completed with
/// no document once the WARC and WAT files are exhausted (WET records left then are reported one per call).</para>
/// <para>Not handled: a WARC or WAT file missing a record inside a URL's group misaligns that file until the
/// next group that happens to line up; each misaligned group is reported as an error, not silently joined.</para>
/// <para>Stateful (one instance per task, never shared): it keeps the parsers; all reading state lives in the
/// runtime's file readers, so a task resumed from a checkpoint continues correctly.</para>
/// </remarks>
public sealed class CommonCrawlReader : IMultipleFileStateMachineReader
{
    /// <summary>The WARC file type.</summary>
    public const string Warc = WarcFileParser.FileType;

    /// <summary>The WAT file type.</summary>
    public const string Wat = WatFileParser.FileType;

    /// <summary>The WET file type.</summary>
    public const string Wet = WetFileParser.FileType;

    private static readonly string[] WatLabels = ["WAT request metadata", "WAT response metadata", "WAT metadata metadata"];
    private static readonly string[] WarcLabels = ["WARC request", "WARC response", "WARC metadata"];

    private readonly Dictionary<string, ISingleFileStateMachineParser> _parsers = new(StringComparer.Ordinal)
    {
        [Warc] = new WarcFileParser(),
        [Wat] = new WatFileParser(),
        [Wet] = new WetFileParser(),
    };

    /// <inheritdoc/>
    public IReadOnlySet<string> S3FileTypes { get; } = new HashSet<string>([Warc, Wat, Wet], StringComparer.Ordinal);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> GetResolvedS3FileNames(IReadOnlyDictionary<string, string> fileTypeToFileName)
    {
        ArgumentNullException.ThrowIfNull(fileTypeToFileName);
        foreach (var type in S3FileTypes)
        {
            if (!fileTypeToFileName.ContainsKey(type))
            {
                throw new ArgumentException($"the manifest line has no {type} file; expected WARC:...|WAT:...|WET:...", nameof(fileTypeToFileName));
            }
        }

        return fileTypeToFileName;
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, ISingleFileStateMachineParser> GetParsers(IReadOnlySet<string> s3FileTypes)
    {
        ArgumentNullException.ThrowIfNull(s3FileTypes);
        return s3FileTypes.ToDictionary(t => t, t => _parsers.TryGetValue(t, out var parser)
            ? parser
            : throw new ArgumentException($"CommonCrawlReader reads WARC, WAT and WET files, not '{t}'", nameof(s3FileTypes)));
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string?> GetNextExpectedRecordTypes(IReadOnlyDictionary<string, string?> lastProcessedRecordTypes)
    {
        ArgumentNullException.ThrowIfNull(lastProcessedRecordTypes);
        return _parsers.ToDictionary(p => p.Key,
            string? (p) => p.Value.GetNextExpectedRecordType(p.Key, lastProcessedRecordTypes.GetValueOrDefault(p.Key)));
    }

    /// <inheritdoc/>
    public ParseCompositeDocumentResult ParseDocument(IReadOnlyDictionary<string, string?> lastProcessedRecordTypes,
        IDocument? lastProcessedDoc, IReadOnlyDictionary<string, ISystemFileReader> fileReaders)
    {
        ArgumentNullException.ThrowIfNull(fileReaders);
        var warc = fileReaders[Warc];
        var wat = fileReaders[Wat];
        var wet = fileReaders[Wet];
        RecordGroup.SkipFileHeaders(warc);
        RecordGroup.SkipFileHeaders(wat);
        RecordGroup.SkipFileHeaders(wet);

        var group = new RecordGroup(fileReaders);
        var watEnded = false;
        var warcEnded = false;
        var watRequest = group.Read<WatMetadataRecord>(wat, CommonCrawlRecordTypes.WatRequestMetadata, WatLabels[0], ref watEnded);
        var watEndedAt = watEnded ? 0 : -1;
        var watResponse = group.Read<WatMetadataRecord>(wat, CommonCrawlRecordTypes.WatResponseMetadata, WatLabels[1], ref watEnded);
        watEndedAt = watEndedAt < 0 && watEnded ? 1 : watEndedAt;
        var watMetadata = group.Read<WatMetadataRecord>(wat, CommonCrawlRecordTypes.WatMetadataMetadata, WatLabels[2], ref watEnded);
        watEndedAt = watEndedAt < 0 && watEnded ? 2 : watEndedAt;
        var request = group.Read<WarcRequestRecord>(warc, CommonCrawlRecordTypes.WarcRequest, WarcLabels[0], ref warcEnded);
        var warcEndedAt = warcEnded ? 0 : -1;
        var response = group.Read<WarcResponseRecord>(warc, CommonCrawlRecordTypes.WarcResponse, WarcLabels[1], ref warcEnded);
        warcEndedAt = warcEndedAt < 0 && warcEnded ? 1 : warcEndedAt;
        var metadata = group.Read<WarcMetadataRecord>(warc, CommonCrawlRecordTypes.WarcMetadata, WarcLabels[2], ref warcEnded);
        warcEndedAt = warcEndedAt < 0 && warcEnded ? 2 : warcEndedAt;

        if (watEndedAt == 0 && warcEndedAt == 0)
        {
            return AfterWarcAndWat(group, wet, fileReaders);
        }

        if (watEndedAt >= 0)
        {
            group.Missing(wat, WatLabels[watEndedAt..]);
        }

        if (warcEndedAt >= 0)
        {
            group.Missing(warc, WarcLabels[warcEndedAt..]);
        }

        var (conversion, noTextReason) = ResyncWet(group, wet);
        if (group.HasErrors)
        {
            return group.ErrorResult(Result);
        }

        if (conversion is null)
        {
            return group.SkipResult($"no WET text for {group.Url}: {noTextReason}", Result);
        }

        // The request records only take part in the URI check; the index record is built from the rest.
        _ = (watRequest, watMetadata, request);
        var index = IndexRecord.From(watResponse!, response!, metadata!, conversion);
        return Result(ParseDocumentResultStatus.Success, new CompositeDoc(index));

        ParseCompositeDocumentResult Result(ParseDocumentResultStatus status, ICompositeDoc? document) =>
            CompositeResult(fileReaders, status, document, SingleFileReaderState.Processing);
    }

    /// <summary>Finds this URL's WET record by peeking; a record for another URL stays for later.</summary>
    private static (WetConversionRecord? Conversion, string? NoTextReason) ResyncWet(RecordGroup group, ISystemFileReader wet)
    {
        if (group.Url is not { } url)
        {
            // Nothing to match the WET record against: leave it for the next URL.
            return (null, "the URL of the WARC and WAT records is unknown");
        }

        while (true)
        {
            switch (wet.NextRecord(peek: true))
            {
                case null:
                    return (null, $"the WET file {wet.FileName} has no more records");
                case WetConversionRecord conversion when string.Equals(conversion.TargetUri, url, StringComparison.Ordinal):
                    wet.NextRecord();
                    return (conversion, null);
                case CommonCrawlErrorDoc error when error.TargetUri is null || string.Equals(error.TargetUri, url, StringComparison.Ordinal):
                    wet.NextRecord();
                    group.AddPartError(wet.FileType, error);
                    if (error.TargetUri is null)
                    {
                        // Unattributable: reported here so it cannot block the file; look again for this URL's record.
                        continue;
                    }

                    return (null, "its WET record is an error");
                case CommonCrawlRecord other:
                    return (null, $"the next WET record (offset {wet.OffsetBytes}) is for {other.TargetUri}");
                case var other:
                    return (null, $"the next WET record is a {other.GetType().Name} ({other.RecordType}) for {other.DocumentId}");
            }
        }
    }

    /// <summary>WARC and WAT are exhausted: report leftover WET records one per call, then complete.</summary>
    private ParseCompositeDocumentResult AfterWarcAndWat(RecordGroup group, ISystemFileReader wet,
        IReadOnlyDictionary<string, ISystemFileReader> readers)
    {
        var leftover = wet.NextRecord();
        if (leftover is null)
        {
            return CompositeResult(readers, ParseDocumentResultStatus.Success, null, SingleFileReaderState.Completed);
        }

        var uri = (leftover as CommonCrawlRecord)?.TargetUri ?? (leftover as CommonCrawlErrorDoc)?.TargetUri;
        group.AddProblem($"the WET file {wet.FileName} has a record for {uri ?? "an unknown URL"} after the WARC and WAT files ended");
        return group.ErrorResult((status, document) => CompositeResult(readers, status, document, SingleFileReaderState.Processing));
    }

    private ParseCompositeDocumentResult CompositeResult(IReadOnlyDictionary<string, ISystemFileReader> readers,
        ParseDocumentResultStatus status, ICompositeDoc? document, SingleFileReaderState state)
    {
        var last = new Dictionary<string, string?>(3, StringComparer.Ordinal);
        var next = new Dictionary<string, string?>(3, StringComparer.Ordinal);
        foreach (var (type, reader) in readers)
        {
            last[type] = reader.LastRecordType;
            next[type] = _parsers[type].GetNextExpectedRecordType(type, reader.LastRecordType);
        }

        return new ParseCompositeDocumentResult(next, document, last, RecordGroup.Offsets(readers), state, status);
    }
}
