using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Reading.DynamoDBStreams;

namespace LetsData.Runtime.Engine;

/// <summary>
/// "DynamoDB Streams Record Reader": one task per stream shard (a child's after its parent's); the runtime reads the
/// shard and calls the reader per record with keys and images as plain values. The checkpoint is the last record's
/// sequence number; a resumed task reads after it.
/// </summary>
public sealed record DynamoDBStreamsRecordReaderBinding(string PluginName, Func<IDynamoDBStreamsRecordReader> CreateReader)
    : ReaderBinding(PluginName)
{
    public override string ReaderTypeName => "DynamoDB Streams Record Reader";

    internal override void Run(ReaderTask run)
    {
        var (task, resume, state, dispatcher) = (run.Task, run.Resume, run.State, run.Dispatcher);
        var partition = TaskManifestChecks.PartitionOf(task, SourcePartitionKind.DynamoDBStreamShard);
        var call = state.CallSite;
        call.Enter("IDynamoDBStreamsRecordReader constructor");
        var reader = CreateReader();
        call.Exit();
        var (streamArn, shardId) = (partition.Source, partition.Id);
        var lastSequenceNumber = resume?.SequenceNumber;
        var shard = run.Sources.RequireDynamoDBStream().OpenShard(shardId, lastSequenceNumber);
        run.Checkpointer.Position = () => new TaskCheckpoint { SequenceNumber = lastSequenceNumber };
        ReaderLoops.ReadInBatches<DynamoDBStreamRecord>(shard, shard.ReadAsync, run.CancellationToken, record =>
        {
            lastSequenceNumber = record.SequenceNumber;
            state.Counters.Records++;
            if (record.SizeBytes is { } size)
            {
                state.AddSourceBytes(size);
            }

            call.Enter("IDynamoDBStreamsRecordReader.ParseRecord", "DynamoDB stream shard", shardId, "sequence number", record.SequenceNumber);
            var result = reader.ParseRecord(streamArn, shardId, record.EventId, record.EventName, record.IdentityPrincipalId,
                record.IdentityType, record.SequenceNumber, record.SizeBytes, record.StreamViewType, record.ApproximateCreationDateTime,
                record.Keys, record.OldImage, record.NewImage);
            call.Exit();
            dispatcher.Dispatch(result, "sequenceNumber", record.SequenceNumber);
            return run.AfterResult();
        });
    }
}
