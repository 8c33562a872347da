using Amazon.Runtime;
using Amazon.SQS;
using LetsData.Runtime.Aws.Sqs;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading.Sqs;

namespace LetsData.Runtime.Connectors.Sqs;

/// <summary>
/// An SQS read connector: <see cref="Tasks"/> tasks receive from one queue (by name or URL). DrainQueues tasks end
/// after <see cref="StopAfterConsecutiveEmptyReceives"/> empty receives in a row; <see cref="Continuous"/> ones keep going.
/// </summary>
public sealed record SqsInput(string? QueueName, string? QueueUrl, int Tasks, bool Continuous, int StopAfterConsecutiveEmptyReceives)
    : ReadConnectorSettings
{
    internal override IReadConnector Connector => SqsReadConnector.Instance;
}

/// <summary>The <c>SQS</c> read connector: <c>computeEngine.concurrency</c> tasks share the queue.</summary>
internal sealed class SqsReadConnector : IReadConnector
{
    /// <summary>LetsData's default for <c>sqsReaderTaskStopAfterConsecutiveEmptyReceives</c>.</summary>
    public const int DefaultStopAfterConsecutiveEmptyReceives = 10;

    public static SqsReadConnector Instance { get; } = new();

    public string Destination => "SQS";
    public string ReadsWhat => "an SQS queue";
    public bool ReadsFiles => false;
    public ReaderType? RequiredReaderType => ReaderType.SqsQueueReader;

    public ReadConnectorSettings? ValidateSection(ReadConnectorConfig read, List<string> problems)
    {
        ConfigFields.Forbid("readConnector", Destination, problems, ("rootPath", read.RootPath), ("bucketName", read.BucketName),
            ("prefix", read.Prefix), ("streamName", read.StreamName), ("tableName", read.TableName), ("totalSegments", read.TotalSegments));
        return null;
    }

    public ReadConnectorSettings? ValidateTasks(ReadConnectorSettings? section, ReadConnectorConfig read, ManifestFileConfig? manifest,
        int concurrency, List<string> problems)
    {
        var continuous = false;
        var stopAfter = DefaultStopAfterConsecutiveEmptyReceives;
        if (manifest is not null)
        {
            if (manifest.ManifestType is { } type)
            {
                problems.Add($"manifestFile.manifestType: '{type}' does not fit an SQS read connector; leave it out (the SQS manifest has none)");
            }

            ConfigFields.Forbid("manifestFile", Destination, problems, ("fileContents", manifest.FileContents),
                ("manifestFilePath", manifest.ManifestFilePath), ("manifestFileS3Uri", manifest.ManifestFileS3Uri),
                ("kinesisReaderTaskStartFromCondition", manifest.KinesisReaderTaskStartFromCondition),
                ("kinesisReaderTaskStartSequenceNumbers", manifest.KinesisReaderTaskStartSequenceNumbers),
                ("kinesisReaderTaskStopCondition", manifest.KinesisReaderTaskStopCondition));
            switch (manifest.SqsReaderTaskStopCondition)
            {
                case null:
                case var stop when stop.Equals("DrainQueues", StringComparison.OrdinalIgnoreCase):
                    break;
                case var stop when stop.Equals("Continuous", StringComparison.OrdinalIgnoreCase):
                    continuous = true;
                    break;
                case var stop:
                    problems.Add($"manifestFile.sqsReaderTaskStopCondition: unknown value '{stop}'; expected \"DrainQueues\" or \"Continuous\"");
                    break;
            }

            if (manifest.SqsReaderTaskStopAfterConsecutiveEmptyReceives is { } empty)
            {
                if (empty < 1)
                {
                    problems.Add($"manifestFile.sqsReaderTaskStopAfterConsecutiveEmptyReceives: {empty} must be at least 1");
                }
                else if (continuous)
                {
                    problems.Add("manifestFile.sqsReaderTaskStopAfterConsecutiveEmptyReceives: only for sqsReaderTaskStopCondition \"DrainQueues\"");
                }

                stopAfter = empty;
            }
        }

        return SqsQueueFields.Check("readConnector", read.QueueName, read.QueueUrl, problems)
            ? new SqsInput(read.QueueName, read.QueueUrl, Math.Max(1, concurrency), continuous, stopAfter)
            : null;
    }

    public async Task<ConnectorInputs?> TryOpenAsync(ReadConnectorSettings settings, InputRequest request)
    {
        var input = (SqsInput)settings;
        AmazonSQSClient client;
        try
        {
            client = SqsClients.Create(request.Credentials);
        }
        catch (Exception e) when (e is AmazonClientException or InvalidOperationException)
        {
            request.Problems.Add(SqsClients.SetupProblem("readConnector", e));
            return null;
        }

        try
        {
            // The smoke run of validate writes nowhere: it must delete nothing, and it stops at the first empty receive.
            var smoke = request.StopWhenCaughtUp;
            var source = await SqsQueueSource.OpenAsync(client, input.QueueName, input.QueueUrl, input.Continuous && !smoke,
                smoke ? 1 : input.StopAfterConsecutiveEmptyReceives, keepMessages: smoke, request.CancellationToken).ConfigureAwait(false);
            return new ConnectorInputs(new RecordSources { Sqs = source }, PartitionTasks.ForQueue(source.QueueName, input.Tasks), client);
        }
        catch (AmazonServiceException e)
        {
            var field = input.QueueName is null ? "readConnector.queueUrl" : "readConnector.queueName";
            request.Problems.Add($"{field}: opening queue {input.QueueName ?? input.QueueUrl} failed: {e.ErrorCode}: {e.Message}");
        }
        catch (Exception e) when (SqsClients.IsRetryable(e, request.CancellationToken))
        {
            request.Problems.Add($"readConnector (SQS): SQS could not be reached: {e.GetType().Name}: {e.Message}");
        }

        client.Dispose();
        return null;
    }
}
