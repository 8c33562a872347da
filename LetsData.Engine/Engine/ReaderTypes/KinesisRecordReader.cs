using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Runtime.Engine;

/// <summary>"Kinesis Record Reader": one task per shard; the runtime reads the shard and calls the reader per record.</summary>
public sealed record KinesisRecordReaderBinding(string PluginName, Func<IKinesisRecordReader> CreateReader)
    : ReaderBinding(PluginName)
{
    public override string ReaderTypeName => "Kinesis Record Reader";

    internal override void Run(ReaderTask run)
    {
        var (task, resume, state, dispatcher) = (run.Task, run.Resume, run.State, run.Dispatcher);
        var partition = TaskManifestChecks.PartitionOf(task, SourcePartitionKind.KinesisShard);
        var call = state.CallSite;
        call.Enter("IKinesisRecordReader constructor");
        var reader = CreateReader();
        call.Exit();
        var (streamArn, shardId) = (partition.Source, partition.Id);
        var lastSequenceNumber = resume?.SequenceNumber;
        var shard = run.Sources.RequireKinesis().OpenShard(shardId, lastSequenceNumber);
        run.Checkpointer.Position = () => new TaskCheckpoint { SequenceNumber = lastSequenceNumber };
        ReaderLoops.ReadInBatches<KinesisRecord>(shard, shard.ReadAsync, run.CancellationToken, record =>
        {
            lastSequenceNumber = record.SequenceNumber;
            state.Counters.Records++;
            state.AddSourceBytes(record.Data.Length);
            call.Enter("IKinesisRecordReader.ParseMessage", "Kinesis shard", shardId, "sequence number", record.SequenceNumber);
            var result = reader.ParseMessage(streamArn, shardId, record.PartitionKey, record.SequenceNumber,
                record.ApproximateArrivalTimestamp, record.Data.Span);
            call.Exit();
            dispatcher.Dispatch(result, "sequenceNumber", record.SequenceNumber);
            return run.AfterResult();
        });
    }
}
