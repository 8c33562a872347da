namespace LetsData.Interfaces.Readers;

/// <summary>Parses Kinesis stream records, one call per record.</summary>
/// <remarks>After the returned document is written, the runtime checkpoints the sequence number.</remarks>
public interface IKinesisRecordReader
{
    /// <summary>Parses one Kinesis record.</summary>
    /// <param name="streamArn">The stream's ARN.</param>
    /// <param name="shardId">The shard the record came from.</param>
    /// <param name="partitionKey">The record's partition key.</param>
    /// <param name="sequenceNumber">The record's sequence number.</param>
    /// <param name="approximateArrivalTimestamp">When the record arrived in the stream (approximately).</param>
    /// <param name="data">The record's payload; valid only during the call (copy what you keep).</param>
    /// <returns>The result; its next record type is usually <see langword="null"/>.</returns>
    ParseDocumentResult ParseMessage(string streamArn, string shardId, string partitionKey,
        string sequenceNumber, DateTimeOffset approximateArrivalTimestamp, ReadOnlySpan<byte> data);
}
