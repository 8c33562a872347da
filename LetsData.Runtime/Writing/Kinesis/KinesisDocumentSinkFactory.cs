using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing.Kinesis;

/// <summary>
/// The <c>Kinesis</c> write connector: each document becomes one record (the UTF-8 of its serialized form, gzip-compressed
/// when <paramref name="compressRecords"/>), partition key = the document's partition key, else its id, else the task
/// id. Records go out in PutRecords batches of up to 500 records / 5 MiB, one batch in flight per task while the next fills.
/// </summary>
/// <param name="client">The client to send with (shared by all tasks).</param>
/// <param name="streamName">The destination stream.</param>
/// <param name="compressRecords">Whether each record's data is gzip-compressed (LetsData's Kinesis format).</param>
/// <param name="ownsClient">Whether disposing the factory disposes <paramref name="client"/>.</param>
public sealed class KinesisDocumentSinkFactory(KinesisClient client, string streamName, bool compressRecords, bool ownsClient)
    : IDocumentSinkFactory, IDisposable
{
    /// <summary>The id of Kinesis outputs in checkpoints.</summary>
    public const string Id = "kinesis";

    /// <inheritdoc />
    public string CheckpointId => Id;

    /// <summary>The destination stream.</summary>
    public string StreamName { get; } = streamName;

    /// <summary>Whether record data is gzip-compressed.</summary>
    public bool CompressRecords { get; } = compressRecords;

    /// <summary>Counters over every sink this factory opened.</summary>
    public KinesisWriteStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public IDocumentSink Open(TaskContext task) =>
        new KinesisDocumentSink(new KinesisBatchSender(client, StreamName, task.TaskId, Statistics), CompressRecords,
            KinesisPartitionKeys.Fit(task.TaskId));

    /// <summary>Disposes the client when the factory owns it.</summary>
    public void Dispose()
    {
        if (ownsClient)
        {
            client.Dispose();
        }
    }
}
