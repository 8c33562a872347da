using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Interfaces.Util;

namespace LetsData.Interfaces.Tests;

// Compiles only if names, parameter names and order, and nullability match CONTRACT.md: plugin code is
// written against that page, so a drift here is a break for plugin authors.
[TestFixture]
public class ContractSignatureTests
{
    private static readonly ParseDocumentResult Done = new(NextRecordType: null, Document: null, Status: ParseDocumentResultStatus.Success);

    private static readonly ParseCompositeDocumentResult Completed = new(
        NextRecordTypes: null, Document: null, LastProcessedRecordTypes: null, Offsets: null,
        ReaderState: SingleFileReaderState.Completed, Status: ParseDocumentResultStatus.Success);

    [Test]
    public void DefaultDocuments_AcceptTheContractsNamedArguments()
    {
        var document = new Document(documentId: "id", recordType: "t", partitionKey: "pk",
            keyValues: new Dictionary<string, object?> { ["a"] = null }, documentMetadata: new Dictionary<string, object?>());
        var error = new ErrorDoc(errorStartOffsetMap: null, errorEndOffsetMap: null, errorMessage: "e", documentId: "id",
            recordType: "t", documentMetadata: null, serialized: "s", partitionKey: "pk");
        var skip = new SkipDoc(errorStartOffsetMap: null, errorEndOffsetMap: null, skipMessage: "s", documentId: "id",
            recordType: "t", documentMetadata: null, serialized: "s", partitionKey: "pk");
        var composite = new CompositeDoc(document: document, errors: [error]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(document.Serialize(), Is.Not.Empty);
            Assert.That(error.PartitionKey, Is.EqualTo("pk"));
            Assert.That(skip.SkipMessage, Is.EqualTo("s"));
            Assert.That(composite.DocumentList.Value, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public void ReaderInterfaces_CanBeImplementedAndCalledAsWritten()
    {
        var parser = new Parser();
        var record = "WARC/1.0"u8;
        ISingleFileParser single = parser;
        ISingleFileStateMachineParser machine = parser;
        IKinesisRecordReader kinesis = parser;
        IQueueMessageReader queue = parser;
        IDynamoDBTableItemReader table = parser;
        IDynamoDBStreamsRecordReader streams = parser;
        ISagemakerVectorsInterface vectors = parser;
        ISingleFileStateMachineReader fileReader = parser;
        IMultipleFileStateMachineReader multi = parser;
        var empty = new Dictionary<string, object?>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(single.ParseDocument(s3FileType: "T", s3FileName: "f", offsetBytes: 0L, record: record), Is.SameAs(Done));
            Assert.That(machine.ParseDocument(s3FileType: "T", s3FileName: "f", offsetBytes: 0L, lastProcessedRecordType: null,
                lastProcessedDoc: null, record: record), Is.SameAs(Done));
            Assert.That(machine.GetNextRecordStartPattern(s3FileType: "T", nextExpectedRecordType: "r", lastProcessedDoc: null).Pattern,
                Is.EqualTo("WARC/1.0"));
            Assert.That(kinesis.ParseMessage(streamArn: "a", shardId: "s", partitionKey: "p", sequenceNumber: "1",
                approximateArrivalTimestamp: DateTimeOffset.UnixEpoch, data: record), Is.SameAs(Done));
            Assert.That(queue.ParseMessage(messageId: "m", messageGroupId: null, messageDeduplicationId: null,
                messageAttributes: new Dictionary<string, string>(), messageBody: "{}"), Is.SameAs(Done));
            Assert.That(table.ParseDynamoDBItem(tableName: "t", segmentNumber: 0, keys: empty, item: empty), Is.SameAs(Done));
            Assert.That(streams.ParseRecord(streamArn: "a", shardId: "s", eventId: "e", eventName: "INSERT",
                identityPrincipalId: null, identityType: null, sequenceNumber: "1", sizeBytes: null,
                streamViewType: "NEW_IMAGE", approximateCreationDateTime: DateTimeOffset.UnixEpoch, keys: empty,
                oldImage: null, newImage: empty), Is.SameAs(Done));
            Assert.That(vectors.ConstructVectorDoc(document: Done.Document ?? new CompositeDoc(null),
                vectors: new Dictionary<string, double[]>()), Is.Not.Null);
            Assert.That(fileReader.ParseDocument(s3FileType: "T", lastProcessedRecordType: null, lastProcessedDoc: null,
                fileReader: new NoFile()), Is.SameAs(Completed));
            Assert.That(multi.GetNextExpectedRecordTypes(lastProcessedRecordTypes: new Dictionary<string, string?> { ["T"] = null })["T"],
                Is.EqualTo("r"));
            Assert.That(multi.ParseDocument(lastProcessedRecordTypes: new Dictionary<string, string?>(), lastProcessedDoc: null,
                fileReaders: new Dictionary<string, ISystemFileReader> { ["T"] = new NoFile() }), Is.SameAs(Completed));
            Assert.That(Matcher.TryGetKeyValueFromLine(line: "a:b"u8, separator: ":", out string? key, out string? value)
                && key.Length + value.Length == 2, Is.True);
        }
    }

    private sealed class Parser : ISingleFileParser, ISingleFileStateMachineParser, IKinesisRecordReader, IQueueMessageReader,
        IDynamoDBTableItemReader, IDynamoDBStreamsRecordReader, ISagemakerVectorsInterface, ISingleFileStateMachineReader,
        IMultipleFileStateMachineReader
    {
        private static readonly RecordParseHint Start = RecordParseHint.ForPattern("WARC/1.0");

        public string S3FileType => "T";

        public IReadOnlySet<string> S3FileTypes { get; } = new HashSet<string> { "T" };

        public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

        public RecordParseHint GetRecordStartPattern(string s3FileType) => Start;

        public RecordParseHint GetRecordEndPattern(string s3FileType) => Start;

        public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record) => Done;

        public string GetNextExpectedRecordType(string s3FileType, string? lastProcessedRecordType) => "r";

        public RecordParseHint GetNextRecordStartPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc) => Start;

        public RecordParseHint GetNextRecordEndPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc) => Start;

        public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes,
            string? lastProcessedRecordType, IDocument? lastProcessedDoc, ReadOnlySpan<byte> record) => Done;

        public ParseDocumentResult ParseMessage(string streamArn, string shardId, string partitionKey, string sequenceNumber,
            DateTimeOffset approximateArrivalTimestamp, ReadOnlySpan<byte> data) => Done;

        public ParseDocumentResult ParseMessage(string messageId, string? messageGroupId, string? messageDeduplicationId,
            IReadOnlyDictionary<string, string> messageAttributes, string messageBody) => Done;

        public ParseDocumentResult ParseDynamoDBItem(string tableName, int segmentNumber,
            IReadOnlyDictionary<string, object?> keys, IReadOnlyDictionary<string, object?> item) => Done;

        public ParseDocumentResult ParseRecord(string streamArn, string shardId, string eventId, string eventName,
            string? identityPrincipalId, string? identityType, string sequenceNumber, long? sizeBytes, string streamViewType,
            DateTimeOffset approximateCreationDateTime, IReadOnlyDictionary<string, object?> keys,
            IReadOnlyDictionary<string, object?>? oldImage, IReadOnlyDictionary<string, object?>? newImage) => Done;

        public IReadOnlyDictionary<string, string> ExtractDocumentElementsForVectorization(IDocument document) =>
            new Dictionary<string, string>();

        public IDocument ConstructVectorDoc(IDocument document, IReadOnlyDictionary<string, double[]> vectors) => document;

        public ISingleFileStateMachineParser GetParser(string s3FileType) => this;

        public ParseCompositeDocumentResult ParseDocument(string s3FileType, string? lastProcessedRecordType,
            IDocument? lastProcessedDoc, ISystemFileReader fileReader) => Completed;

        public IReadOnlyDictionary<string, string> GetResolvedS3FileNames(IReadOnlyDictionary<string, string> fileTypeToFileName) =>
            fileTypeToFileName;

        public IReadOnlyDictionary<string, ISingleFileStateMachineParser> GetParsers(IReadOnlySet<string> s3FileTypes) =>
            s3FileTypes.ToDictionary(t => t, ISingleFileStateMachineParser (_) => this);

        public IReadOnlyDictionary<string, string?> GetNextExpectedRecordTypes(IReadOnlyDictionary<string, string?> lastProcessedRecordTypes) =>
            lastProcessedRecordTypes.ToDictionary(p => p.Key, string? (p) => GetNextExpectedRecordType(p.Key, p.Value));

        public ParseCompositeDocumentResult ParseDocument(IReadOnlyDictionary<string, string?> lastProcessedRecordTypes,
            IDocument? lastProcessedDoc, IReadOnlyDictionary<string, ISystemFileReader> fileReaders) => Completed;
    }

    private sealed class NoFile : ISystemFileReader
    {
        public string FileType => "T";

        public string FileName => "f";

        public SingleFileReaderState State => SingleFileReaderState.Completed;

        public string OffsetBytes => "0";

        public string? LastRecordType => null;

        public IDocument? NextRecord(bool peek = false) => null;
    }
}
