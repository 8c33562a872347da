namespace LetsData.Runtime.Aws.Kinesis;

/// <summary>A stream's status and identity from DescribeStreamSummary.</summary>
public sealed record KinesisStreamSummary(string StreamName, string StreamArn, string StreamStatus, int OpenShardCount);

/// <summary>One shard from ListShards. <see cref="EndingSequenceNumber"/> is set when the shard is closed.</summary>
public sealed record KinesisShard(
    string ShardId, string? ParentShardId, string? AdjacentParentShardId, string? StartingSequenceNumber, string? EndingSequenceNumber);

/// <summary>Where a shard iterator starts (GetShardIterator's <c>ShardIteratorType</c>).</summary>
public enum KinesisShardIteratorType
{
    /// <summary>The oldest record still in the shard.</summary>
    TrimHorizon,

    /// <summary>Just after the newest record: only records put from now on.</summary>
    Latest,

    /// <summary>At a given sequence number.</summary>
    AtSequenceNumber,

    /// <summary>Just after a given sequence number.</summary>
    AfterSequenceNumber,
}

/// <summary>
/// What one GetRecords call returned besides its records: the iterator for the next call (null when the shard is
/// closed and this was its last page) and how far the page is behind the shard's tip.
/// </summary>
public readonly record struct KinesisRecordsPage(int RecordCount, string? NextShardIterator, long? MillisBehindLatest);

/// <summary>The outcome of one record of a PutRecords request (in request order).</summary>
public readonly record struct KinesisPutRecordResult(string? ShardId, string? SequenceNumber, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>Whether Kinesis refused this record (the rest of the request may have succeeded).</summary>
    public bool Failed => ErrorCode is not null;
}

/// <summary>What a PutRecords request returned: the count of refused records and each record's outcome.</summary>
public sealed record KinesisPutRecordsResult(int FailedRecordCount, IReadOnlyList<KinesisPutRecordResult> Records);
