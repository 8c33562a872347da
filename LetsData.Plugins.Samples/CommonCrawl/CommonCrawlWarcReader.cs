using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// A single-file state-machine reader over Common Crawl WARC files (the port of the Java
/// CommonCrawlWARCSingleFileStateMachineReader): one composite per request/response/metadata group, whose kept
/// document is the <see cref="WarcResponseRecord"/>.
/// </summary>
/// <remarks>
/// The warcinfo record is skipped at the start of the file. A group with a record that failed to parse, target
/// URIs that disagree, or a file that ends inside the group gives an Error composite carrying every error document;
/// the end of the file gives Completed with no document.
/// </remarks>
public sealed class CommonCrawlWarcReader : ISingleFileStateMachineReader
{
    private static readonly string[] Labels = ["WARC request", "WARC response", "WARC metadata"];

    private readonly WarcFileParser _parser = new();

    /// <inheritdoc/>
    public string S3FileType => WarcFileParser.FileType;

    /// <inheritdoc/>
    public string GetResolvedS3FileName(string s3FileType, string fileName)
    {
        FileTypes.Require(WarcFileParser.FileType, s3FileType);
        return fileName;
    }

    /// <inheritdoc/>
    public ISingleFileStateMachineParser GetParser(string s3FileType)
    {
        FileTypes.Require(WarcFileParser.FileType, s3FileType);
        return _parser;
    }

    /// <inheritdoc/>
    public string GetNextExpectedRecordType(string s3FileType, string? lastProcessedRecordType) =>
        _parser.GetNextExpectedRecordType(s3FileType, lastProcessedRecordType);

    /// <inheritdoc/>
    public ParseCompositeDocumentResult ParseDocument(string s3FileType, string? lastProcessedRecordType,
        IDocument? lastProcessedDoc, ISystemFileReader fileReader)
    {
        FileTypes.Require(WarcFileParser.FileType, s3FileType);
        ArgumentNullException.ThrowIfNull(fileReader);
        RecordGroup.SkipFileHeaders(fileReader);
        var readers = new Dictionary<string, ISystemFileReader>(1) { [s3FileType] = fileReader };
        var group = new RecordGroup(readers);
        var ended = false;
        _ = group.Read<WarcRequestRecord>(fileReader, CommonCrawlRecordTypes.WarcRequest, Labels[0], ref ended);
        if (ended)
        {
            return Result(ParseDocumentResultStatus.Success, null, SingleFileReaderState.Completed);
        }

        var response = group.Read<WarcResponseRecord>(fileReader, CommonCrawlRecordTypes.WarcResponse, Labels[1], ref ended);
        var endedAt = ended ? 1 : -1;
        _ = group.Read<WarcMetadataRecord>(fileReader, CommonCrawlRecordTypes.WarcMetadata, Labels[2], ref ended);
        endedAt = endedAt < 0 && ended ? 2 : endedAt;
        if (endedAt >= 0)
        {
            group.Missing(fileReader, Labels[endedAt..]);
        }

        return group.HasErrors
            ? group.ErrorResult((status, document) => Result(status, document, SingleFileReaderState.Processing))
            : Result(ParseDocumentResultStatus.Success, new CompositeDoc(response), SingleFileReaderState.Processing);

        ParseCompositeDocumentResult Result(ParseDocumentResultStatus status, ICompositeDoc? document, SingleFileReaderState state) =>
            new(new Dictionary<string, string?> { [s3FileType] = _parser.GetNextExpectedRecordType(s3FileType, fileReader.LastRecordType) },
                document,
                new Dictionary<string, string?> { [s3FileType] = fileReader.LastRecordType },
                new Dictionary<string, string> { [s3FileType] = fileReader.OffsetBytes },
                state, status);
    }
}
