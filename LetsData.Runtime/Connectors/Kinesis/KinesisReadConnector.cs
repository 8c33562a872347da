using Amazon.Runtime;
using LetsData.Runtime.Aws.AwsJson;
using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Runtime.Connectors.Kinesis;

/// <summary>Where each shard's reading starts.</summary>
public enum KinesisStartFrom
{
    /// <summary>The oldest record kept (TRIM_HORIZON).</summary>
    Earliest,

    /// <summary>Records put after the task starts (LATEST).</summary>
    Latest,

    /// <summary>A given sequence number per shard (AT_SEQUENCE_NUMBER).</summary>
    AtSequenceNumber,
}

/// <summary>
/// A Kinesis read connector: one task per shard of <see cref="StreamName"/>. <see cref="Continuous"/> tasks keep
/// polling; otherwise a task ends when its shard has no newer records.
/// </summary>
public sealed record KinesisInput(string StreamName, KinesisStartFrom StartFrom,
    IReadOnlyDictionary<string, string> StartSequenceNumbers, bool Continuous) : ReadConnectorSettings
{
    internal override IReadConnector Connector => KinesisReadConnector.Instance;
}

/// <summary>The <c>Kinesis</c> read connector: one task per shard, listed when the run starts.</summary>
internal sealed class KinesisReadConnector : IReadConnector
{
    public static KinesisReadConnector Instance { get; } = new();

    public string Destination => "Kinesis";
    public string ReadsWhat => "a Kinesis stream";
    public bool ReadsFiles => false;
    public ReaderType? RequiredReaderType => ReaderType.KinesisRecordReader;

    public ReadConnectorSettings? ValidateSection(ReadConnectorConfig read, List<string> problems)
    {
        ConfigFields.ForbidFileAndQueueFields(Destination, read, problems);
        return null;
    }

    public ReadConnectorSettings? ValidateTasks(ReadConnectorSettings? section, ReadConnectorConfig read, ManifestFileConfig? manifest,
        int concurrency, List<string> problems)
    {
        ConfigFields.Forbid("readConnector", Destination, problems, ("tableName", read.TableName), ("totalSegments", read.TotalSegments));
        var startFrom = KinesisStartFrom.Earliest;
        var continuous = false;
        IReadOnlyDictionary<string, string> sequenceNumbers = new Dictionary<string, string>();
        if (manifest is not null)
        {
            ConfigFields.CheckManifestType(manifest.ManifestType, "KinesisStreamReaderManifest", "Kinesis", problems);

            ConfigFields.Forbid("manifestFile", Destination, problems, ("fileContents", manifest.FileContents),
                ("manifestFilePath", manifest.ManifestFilePath), ("manifestFileS3Uri", manifest.ManifestFileS3Uri));
            if (manifest.KinesisReaderTaskStartFromCondition is { } start && !Enum.TryParse(start, ignoreCase: true, out startFrom))
            {
                problems.Add($"manifestFile.kinesisReaderTaskStartFromCondition: unknown value '{start}'; expected \"Earliest\", \"Latest\" or \"AtSequenceNumber\"");
            }

            continuous = ConfigFields.IsContinuous(manifest.KinesisReaderTaskStopCondition, "kinesisReaderTaskStopCondition", problems);

            sequenceNumbers = manifest.KinesisReaderTaskStartSequenceNumbers ?? [];
        }

        if (startFrom == KinesisStartFrom.AtSequenceNumber && sequenceNumbers.Count == 0)
        {
            problems.Add("manifestFile.kinesisReaderTaskStartSequenceNumbers: required for AtSequenceNumber (shard id -> sequence number)");
        }
        else if (startFrom != KinesisStartFrom.AtSequenceNumber && sequenceNumbers.Count > 0)
        {
            problems.Add("manifestFile.kinesisReaderTaskStartSequenceNumbers: only for kinesisReaderTaskStartFromCondition \"AtSequenceNumber\"");
        }

        var streamName = read.StreamName;
        if (read.StreamArn is { } arn)
        {
            // LetsData names the stream by ARN; the stream's name is its last part (the region and account are the clients').
            var fromArn = StreamNameOf(arn);
            if (fromArn is null)
            {
                problems.Add($"readConnector.streamArn: '{arn}' is not a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)");
                return null;
            }

            if (streamName is not null && streamName != fromArn)
            {
                problems.Add($"readConnector.streamArn: names stream '{fromArn}', but streamName is '{streamName}'; give one");
                return null;
            }

            streamName = fromArn;
        }

        if (!ConfigFields.StreamName.IsValid(streamName))
        {
            problems.Add($"readConnector.streamName: {ConfigFields.StreamName.Problem(streamName)}");
            return null;
        }

        return new KinesisInput(streamName!, startFrom, sequenceNumbers, continuous);
    }

    /// <summary>The stream name of a Kinesis stream ARN; null when <paramref name="arn"/> is not one.</summary>
    internal static string? StreamNameOf(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && parts[2] == "kinesis" && parts[5].StartsWith("stream/", StringComparison.Ordinal)
            && parts[5]["stream/".Length..] is { Length: > 0 } name && !name.Contains('/', StringComparison.Ordinal)
            ? name
            : null;
    }

    public async Task<ConnectorInputs?> TryOpenAsync(ReadConnectorSettings settings, InputRequest request)
    {
        var input = (KinesisInput)settings;
        var problems = request.Problems;
        KinesisClient client;
        try
        {
            client = KinesisClient.Create(new AwsJsonClientOptions { Credentials = request.Credentials });
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
        var source = new KinesisRecordSource(client, input.StreamName, start, input.Continuous && !request.StopWhenCaughtUp);
        try
        {
            var tasks = await PartitionTasks.ForKinesisAsync(source, request.CancellationToken).ConfigureAwait(false);
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
                return new ConnectorInputs(new RecordSources(Kinesis: source), tasks, client);
            }
        }
        catch (KinesisException e)
        {
            problems.Add($"readConnector.streamName: listing the shards of stream {input.StreamName} failed: {e.Message}");
        }

        client.Dispose();
        return null;
    }
}
