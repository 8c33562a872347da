namespace LetsData.Runtime.Reading.DynamoDBStreams;

/// <summary>One DynamoDB Streams record, keys and images as plain values (as <c>IDynamoDBStreamsRecordReader</c> gets them).</summary>
public sealed record DynamoDBStreamRecord(
    string EventId, string EventName, string? IdentityPrincipalId, string? IdentityType, string SequenceNumber, long? SizeBytes,
    string StreamViewType, DateTimeOffset ApproximateCreationDateTime, IReadOnlyDictionary<string, object?> Keys,
    IReadOnlyDictionary<string, object?>? OldImage, IReadOnlyDictionary<string, object?>? NewImage);

/// <summary>A stream's shard; <see cref="ParentShardId"/> is read before it, and a shard with an ending number is closed.</summary>
public sealed record DynamoDBStreamShard(string ShardId, string? ParentShardId, string? StartingSequenceNumber, string? EndingSequenceNumber);

/// <summary>A stream as DescribeStream tells it, every page of shards together.</summary>
public sealed record DynamoDBStreamDescription(string StreamArn, string StreamStatus, string? StreamViewType, string? TableName,
    IReadOnlyList<DynamoDBStreamShard> Shards);

/// <summary>What one GetRecords call gave besides the records: the next iterator (null: the shard is closed and drained).</summary>
public readonly record struct DynamoDBStreamRecordsPage(string? NextShardIterator, int RecordCount);

/// <summary>GetShardIterator's ShardIteratorType.</summary>
public enum DynamoDBStreamIteratorType
{
    /// <summary>TRIM_HORIZON: the oldest record kept.</summary>
    TrimHorizon,

    /// <summary>LATEST: records written after the iterator is made.</summary>
    Latest,

    /// <summary>AFTER_SEQUENCE_NUMBER: just after a given record (a checkpoint).</summary>
    AfterSequenceNumber,
}
