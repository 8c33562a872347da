using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using LetsData.Runtime.Aws.AwsJson;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Aws.DynamoDBStreams;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading.DynamoDBStreams;

namespace LetsData.Runtime.Connectors.DynamoDBStreams;

/// <summary>
/// A DynamoDB Streams read connector: one task per shard of the stream <see cref="StreamArn"/>, or of the latest stream
/// of <see cref="TableName"/> (exactly one of them is set). <see cref="Continuous"/> tasks of open shards keep polling;
/// otherwise a task ends when its shard has no newer records.
/// </summary>
public sealed record DynamoDBStreamsInput(string? TableName, string? StreamArn, DynamoDBStreamStartFrom StartFrom, bool Continuous)
    : ReadConnectorSettings
{
    internal override IReadConnector Connector => DynamoDBStreamsReadConnector.Instance;
}

/// <summary>The <c>DynamoDBStreams</c> read connector: one task per shard, a child's after its parent's, listed when the run starts.</summary>
internal sealed class DynamoDBStreamsReadConnector : IReadConnector
{
    public static DynamoDBStreamsReadConnector Instance { get; } = new();

    public string Destination => "DynamoDBStreams";
    public string ReadsWhat => "a DynamoDB stream";
    public bool ReadsFiles => false;
    public ReaderType? RequiredReaderType => ReaderType.DynamoDBStreamsRecordReader;

    public ReadConnectorSettings? ValidateSection(ReadConnectorConfig read, List<string> problems)
    {
        ConfigFields.ForbidFileAndQueueFields(Destination, read, problems);
        ConfigFields.Forbid("readConnector", Destination, problems, ("streamName", read.StreamName), ("totalSegments", read.TotalSegments));
        return null;
    }

    public ReadConnectorSettings? ValidateTasks(ReadConnectorSettings? section, ReadConnectorConfig read, ManifestFileConfig? manifest,
        int concurrency, List<string> problems)
    {
        var startFrom = DynamoDBStreamStartFrom.Earliest;
        var continuous = false;
        if (manifest is not null)
        {
            ConfigFields.CheckManifestType(manifest.ManifestType, "DynamoDBStreamReaderManifest", "DynamoDB Streams", problems);

            ConfigFields.Forbid("manifestFile", Destination, problems, ("fileContents", manifest.FileContents),
                ("manifestFilePath", manifest.ManifestFilePath), ("manifestFileS3Uri", manifest.ManifestFileS3Uri),
                ("kinesisReaderTaskStartFromCondition", manifest.KinesisReaderTaskStartFromCondition),
                ("kinesisReaderTaskStartSequenceNumbers", manifest.KinesisReaderTaskStartSequenceNumbers),
                ("kinesisReaderTaskStopCondition", manifest.KinesisReaderTaskStopCondition));
            if (manifest.DynamoDBReaderTaskStartFromCondition is { } start
                && !(Enum.TryParse(start, ignoreCase: true, out startFrom) && Enum.IsDefined(startFrom) && !int.TryParse(start, out _)))
            {
                problems.Add($"manifestFile.dynamoDBReaderTaskStartFromCondition: unknown value '{start}'; expected \"Earliest\" or \"Latest\"");
            }

            continuous = ConfigFields.IsContinuous(manifest.DynamoDBReaderTaskStopCondition, "dynamoDBReaderTaskStopCondition", problems);
        }

        switch (read.TableName, read.StreamArn)
        {
            case (null, null):
                problems.Add("readConnector.tableName: required (the DynamoDB table whose stream is read), or readConnector.streamArn");
                return null;
            case ({ }, { }):
                problems.Add("readConnector.streamArn: give either tableName or streamArn, not both");
                return null;
            case ({ } table, null) when !ConfigFields.TableName.IsValid(table):
                problems.Add($"readConnector.tableName: {ConfigFields.TableName.Problem(table)}");
                return null;
            case (null, { } arn) when !IsStreamArn(arn):
                problems.Add($"readConnector.streamArn: '{arn}' is not a DynamoDB stream ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/stream/LABEL)");
                return null;
        }

        return new DynamoDBStreamsInput(read.TableName, read.StreamArn, startFrom, continuous);
    }

    public async Task<ConnectorInputs?> TryOpenAsync(ReadConnectorSettings settings, InputRequest request)
    {
        var input = (DynamoDBStreamsInput)settings;
        var problems = request.Problems;
        var streamArn = input.StreamArn ?? await LatestStreamArnAsync(input.TableName!, request).ConfigureAwait(false);
        if (streamArn is null)
        {
            return null;
        }

        DynamoDBStreamsClient client;
        try
        {
            client = DynamoDBStreamsClient.Create(new AwsJsonClientOptions { Credentials = request.Credentials });
        }
        catch (Exception e) when (e is InvalidOperationException or AmazonClientException)
        {
            problems.Add(DynamoDBStreamsClient.SetupProblem("readConnector", e));
            return null;
        }

        var source = new DynamoDBStreamSource(client, streamArn, input.StartFrom, input.Continuous && !request.StopWhenCaughtUp);
        var field = input.StreamArn is null ? "readConnector.tableName" : "readConnector.streamArn";
        try
        {
            var tasks = await PartitionTasks.ForDynamoDBStreamAsync(source, request.CancellationToken).ConfigureAwait(false);
            if (tasks.Count > 0)
            {
                return new ConnectorInputs(new RecordSources(DynamoDBStream: source), tasks, client);
            }

            problems.Add($"{field}: stream {streamArn} has no shards");
        }
        catch (DynamoDBStreamsException e)
        {
            problems.Add($"{field}: listing the shards of stream {streamArn} failed: {e.Message}");
        }

        client.Dispose();
        return null;
    }

    // arn:PARTITION:dynamodb:REGION:ACCOUNT:table/TABLE/stream/LABEL
    private static bool IsStreamArn(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && parts[2] == "dynamodb"
            && parts[5].StartsWith("table/", StringComparison.Ordinal) && parts[5].Contains("/stream/", StringComparison.Ordinal);
    }

    private static async Task<string?> LatestStreamArnAsync(string tableName, InputRequest request)
    {
        try
        {
            using var dynamo = DynamoDBClients.Create(credentials: request.Credentials);
            var table = (await dynamo.DescribeTableAsync(tableName, request.CancellationToken).ConfigureAwait(false)).Table;
            if (table.LatestStreamArn is { } arn)
            {
                return arn;
            }

            request.Problems.Add($"readConnector.tableName: table {tableName} has no stream; enable one (StreamSpecification, e.g. NEW_IMAGE) or give readConnector.streamArn");
        }
        catch (ResourceNotFoundException)
        {
            request.Problems.Add($"readConnector.tableName: table {tableName} does not exist");
        }
        catch (AmazonDynamoDBException e)
        {
            request.Problems.Add($"readConnector.tableName: describing table {tableName} failed: {e.Message}");
        }
        catch (AmazonClientException e)
        {
            request.Problems.Add(DynamoDBClients.SetupProblem("readConnector", e));
        }

        return null;
    }
}
