using System.Globalization;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Reading.DynamoDB;

namespace LetsData.Runtime.Engine;

/// <summary>"DynamoDB Table Item Reader": one task per parallel scan segment; the reader is called per item.</summary>
public sealed record DynamoDBTableItemReaderBinding(string PluginName, Func<IDynamoDBTableItemReader> CreateReader)
    : ReaderBinding(PluginName)
{
    public override string ReaderTypeName => "DynamoDB Table Item Reader";

    internal override void Run(ReaderTask run)
    {
        var (task, resume, state, dispatcher) = (run.Task, run.Resume, run.State, run.Dispatcher);
        var partition = TaskManifestChecks.PartitionOf(task, SourcePartitionKind.ScanSegment);
        var segment = int.Parse(partition.Id, NumberStyles.None, CultureInfo.InvariantCulture);
        var call = state.CallSite;
        call.Enter("IDynamoDBTableItemReader constructor");
        var reader = CreateReader();
        call.Exit();
        var source = run.Sources.RequireDynamoDBTable();
        var scan = source.OpenSegment(segment, resume?.LastEvaluatedKey is { } startAfter ? DynamoDBKeyJson.Deserialize(startAfter) : null);
        var segmentName = $"{partition.Id} of table {partition.Source}";
        long index = 0;
        // An item's key is a valid exclusive start key of the scan: the checkpoint needs no page boundary.
        IReadOnlyDictionary<string, object?>? lastKeys = null;
        run.Checkpointer.Position = () => new TaskCheckpoint
        {
            LastEvaluatedKey = lastKeys is null ? resume?.LastEvaluatedKey : DynamoDBKeyJson.Serialize(lastKeys),
        };
        ReaderLoops.ReadInBatches<DynamoDBItem>(scan, scan.ReadAsync, run.CancellationToken, item =>
        {
            lastKeys = item.Keys;
            state.Counters.Records++;
            call.Enter("IDynamoDBTableItemReader.ParseDynamoDBItem", "DynamoDB scan segment", segmentName, "item", null, index++);
            var result = reader.ParseDynamoDBItem(source.TableName, segment, item.Keys, item.Item);
            call.Exit();
            dispatcher.Dispatch(result, item.Keys);
            return run.AfterResult();
        });
    }
}
