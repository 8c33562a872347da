using Amazon.Runtime;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.DynamoDB;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// What a run reads and its tasks: the manifest's tasks over local or S3 files, one task per shard of a Kinesis
/// stream (listed now), or one task per segment of a table scan. Owns the clients behind the sources.
/// </summary>
internal sealed class RunInputs : IDisposable
{
    private readonly IDisposable? _owned;

    private RunInputs(RecordSources sources, IReadOnlyList<DataTaskDefinition> tasks, IDisposable? owned)
    {
        Sources = sources;
        Tasks = tasks;
        _owned = owned;
    }

    public RecordSources Sources { get; }
    public IReadOnlyList<DataTaskDefinition> Tasks { get; }

    /// <summary>
    /// Opens the dataset's source, or returns null with the problems. <paramref name="stopWhenCaughtUp"/> makes a
    /// continuous Kinesis reader stop at the end of the stream (the smoke run of <c>validate</c>).
    /// </summary>
    public static Task<RunInputs?> TryOpenAsync(PreparedDataset prepared, List<string> problems, bool stopWhenCaughtUp,
        CancellationToken cancellationToken) =>
        TryOpenAsync(prepared.Dataset, prepared.Tasks, problems, stopWhenCaughtUp, cancellationToken);

    /// <summary>As <see cref="TryOpenAsync(PreparedDataset, List{string}, bool, CancellationToken)"/>, for a dataset whose plugin is not loaded here (the supervisor).</summary>
    public static async Task<RunInputs?> TryOpenAsync(Dataset dataset, IReadOnlyList<DataTaskDefinition> manifestTasks, List<string> problems,
        bool stopWhenCaughtUp, CancellationToken cancellationToken)
    {
        switch (dataset.ReadDestination)
        {
            case ReadDestination.Kinesis:
                return await TryOpenKinesisAsync(dataset.KinesisInput!, RuntimeCredentials.Current.For(dataset), problems, stopWhenCaughtUp, cancellationToken).ConfigureAwait(false);
            case ReadDestination.DynamoDB:
                return TryOpenTable(dataset.DynamoDBInput!, RuntimeCredentials.Current.For(dataset), problems);
            default:
                var files = FileSources.TryCreate(dataset, problems);
                return files is null ? null : new RunInputs(new RecordSources(files), manifestTasks, files as IDisposable);
        }
    }

    private static async Task<RunInputs?> TryOpenKinesisAsync(KinesisInput input, AWSCredentials? credentials, List<string> problems, bool stopWhenCaughtUp,
        CancellationToken cancellationToken)
    {
        KinesisClient client;
        try
        {
            client = KinesisClient.Create(new KinesisClientOptions { Credentials = credentials });
        }
        catch (Exception e) when (e is InvalidOperationException or AmazonClientException)
        {
            problems.Add(KinesisClient.SetupProblem("readConnector", e));
            return null;
        }

        var start = input.StartFrom switch
        {
            KinesisStartFrom.Latest => KinesisStartPosition.Latest,
            KinesisStartFrom.AtSequenceNumber => KinesisStartPosition.AtSequenceNumbers(input.StartSequenceNumbers),
            _ => KinesisStartPosition.Earliest,
        };
        var source = new KinesisRecordSource(client, input.StreamName, start, input.Continuous && !stopWhenCaughtUp);
        try
        {
            var tasks = await PartitionTasks.ForKinesisAsync(source, cancellationToken).ConfigureAwait(false);
            var unknownShards = input.StartSequenceNumbers.Keys.Except(tasks.Select(t => t.Partition!.Id), StringComparer.Ordinal).ToList();
            if (unknownShards.Count > 0)
            {
                problems.Add($"manifestFile.kinesisReaderTaskStartSequenceNumbers: stream {input.StreamName} has no shard {string.Join(", ", unknownShards)}");
            }

            if (tasks.Count == 0)
            {
                problems.Add($"readConnector.streamName: stream {input.StreamName} has no shards");
            }

            if (problems.Count == 0)
            {
                return new RunInputs(new RecordSources(Kinesis: source), tasks, client);
            }
        }
        catch (KinesisException e)
        {
            problems.Add($"readConnector.streamName: listing the shards of stream {input.StreamName} failed: {e.Message}");
        }

        client.Dispose();
        return null;
    }

    private static RunInputs? TryOpenTable(DynamoDBInput input, AWSCredentials? credentials, List<string> problems)
    {
        try
        {
            var source = new DynamoDBTableSource(DynamoDBClients.Create(credentials: credentials), input.TableName, input.TotalSegments, ownsClient: true);
            return new RunInputs(new RecordSources(DynamoDBTable: source), PartitionTasks.ForDynamoDBTable(source), source);
        }
        catch (AmazonClientException e)
        {
            problems.Add(DynamoDBClients.SetupProblem("readConnector", e));
            return null;
        }
    }

    public void Dispose() => _owned?.Dispose();
}
