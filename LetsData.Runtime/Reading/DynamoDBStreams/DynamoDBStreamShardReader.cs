using LetsData.Runtime.Aws.DynamoDBStreams;

namespace LetsData.Runtime.Reading.DynamoDBStreams;

/// <summary>
/// Reads one DynamoDB stream shard (<see cref="ShardPollReader{TRecord}"/>). DynamoDB Streams has no
/// MillisBehindLatest: for an open shard an empty page is as caught up as a reader can tell, so it counts as the tip.
/// </summary>
internal sealed class DynamoDBStreamShardReader(DynamoDBStreamsClient client, string streamArn, string shardId,
    DynamoDBStreamIteratorType startType, string? startAfter, bool untilClosed, int recordsPerRead)
    : ShardPollReader<DynamoDBStreamRecord>(startAfter, untilClosed), IDynamoDBStreamShardReader
{
    protected override Task<string> NewIteratorAsync(string? afterSequenceNumber, CancellationToken cancellationToken) =>
        afterSequenceNumber is not null
            ? client.GetShardIteratorAsync(streamArn, shardId, DynamoDBStreamIteratorType.AfterSequenceNumber, afterSequenceNumber, cancellationToken)
            : client.GetShardIteratorAsync(streamArn, shardId, startType, null, cancellationToken);

    protected override async Task<ShardPage> GetPageAsync(string iterator, List<DynamoDBStreamRecord> batch, CancellationToken cancellationToken)
    {
        var page = await client.GetRecordsAsync(iterator, recordsPerRead, batch, cancellationToken).ConfigureAwait(false);
        return new ShardPage(page.RecordCount, page.NextShardIterator, AtTip: page.RecordCount == 0);
    }

    protected override string SequenceNumberOf(DynamoDBStreamRecord record) => record.SequenceNumber;

    protected override bool IsExpiredIterator(Exception e) => e is DynamoDBStreamsException { ErrorCode: "ExpiredIteratorException" };
}
