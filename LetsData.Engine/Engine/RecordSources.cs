using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.DynamoDB;
using LetsData.Runtime.Reading.DynamoDBStreams;
using LetsData.Runtime.Reading.Kinesis;
using LetsData.Runtime.Reading.Sqs;

namespace LetsData.Runtime.Engine;

/// <summary>Where a run's tasks read from; the reader type decides which one is used.</summary>
public sealed record RecordSources(
    IFileSource? Files = null, IKinesisRecordSource? Kinesis = null, IDynamoDBTableSource? DynamoDBTable = null,
    IDynamoDBStreamSource? DynamoDBStream = null)
{
    /// <summary>The queue an SQS Queue Reader's tasks share.</summary>
    public ISqsQueueSource? Sqs { get; init; }

    public IFileSource RequireFiles() =>
        Files ?? throw new InvalidOperationException("this run has no file source; the reader type reads files");

    public IKinesisRecordSource RequireKinesis() =>
        Kinesis ?? throw new InvalidOperationException("this run has no Kinesis source; the Kinesis Record Reader reads a stream");

    public IDynamoDBTableSource RequireDynamoDBTable() =>
        DynamoDBTable ?? throw new InvalidOperationException("this run has no DynamoDB table source; the DynamoDB Table Item Reader scans a table");

    public IDynamoDBStreamSource RequireDynamoDBStream() =>
        DynamoDBStream ?? throw new InvalidOperationException("this run has no DynamoDB stream source; the DynamoDB Streams Record Reader reads a stream");

    public ISqsQueueSource RequireSqs() =>
        Sqs ?? throw new InvalidOperationException("this run has no SQS source; the SQS Queue Reader reads a queue");
}
