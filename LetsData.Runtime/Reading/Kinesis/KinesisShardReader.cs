using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Runtime.Reading.Kinesis;

/// <summary>
/// Reads one Kinesis shard (<see cref="ShardPollReader{TRecord}"/>): at the tip means an empty page with
/// MillisBehindLatest 0; an empty page behind the tip is read past at once.
/// </summary>
internal sealed class KinesisShardReader(
    KinesisClient client, string streamName, string shardId, ShardPosition start, bool continuous, int recordsPerRead)
    : ShardPollReader<KinesisRecord>(startAfter: null, untilClosed: continuous), IKinesisShardReader
{
    protected override Task<string> NewIteratorAsync(string? afterSequenceNumber, CancellationToken cancellationToken) =>
        afterSequenceNumber is not null
            ? client.GetShardIteratorAsync(streamName, shardId, KinesisShardIteratorType.AfterSequenceNumber, afterSequenceNumber, cancellationToken)
            : client.GetShardIteratorAsync(streamName, shardId, start.Type, start.SequenceNumber, cancellationToken);

    protected override async Task<ShardPage> GetPageAsync(string iterator, List<KinesisRecord> batch, CancellationToken cancellationToken)
    {
        var page = await client.GetRecordsAsync(iterator, recordsPerRead, batch, cancellationToken).ConfigureAwait(false);
        return new ShardPage(page.RecordCount, page.NextShardIterator, page.RecordCount == 0 && page.MillisBehindLatest is 0);
    }

    protected override string SequenceNumberOf(KinesisRecord record) => record.SequenceNumber;

    protected override bool IsExpiredIterator(Exception e) => e is KinesisException { ErrorCode: "ExpiredIteratorException" };
}
