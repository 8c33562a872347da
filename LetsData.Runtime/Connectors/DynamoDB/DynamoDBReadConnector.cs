using Amazon.Runtime;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading.DynamoDB;

namespace LetsData.Runtime.Connectors.DynamoDB;

/// <summary>A DynamoDB table read connector: a parallel scan of <see cref="TableName"/>, one task per segment.</summary>
public sealed record DynamoDBInput(string TableName, int TotalSegments) : ReadConnectorSettings
{
    internal override IReadConnector Connector => DynamoDBReadConnector.Instance;
}

/// <summary>The <c>DynamoDB</c> read connector: one task per parallel scan segment.</summary>
internal sealed class DynamoDBReadConnector : IReadConnector
{
    // DynamoDB's own limit for Scan's TotalSegments.
    private const int MaxScanSegments = 1_000_000;

    public static DynamoDBReadConnector Instance { get; } = new();

    public string Destination => "DynamoDB";
    public string ReadsWhat => "a DynamoDB table";
    public bool ReadsFiles => false;
    public ReaderType? RequiredReaderType => ReaderType.DynamoDBTableItemReader;

    public ReadConnectorSettings? ValidateSection(ReadConnectorConfig read, List<string> problems)
    {
        ConfigFields.ForbidFileAndQueueFields(Destination, read, problems);
        return null;
    }

    public ReadConnectorSettings? ValidateTasks(ReadConnectorSettings? section, ReadConnectorConfig read, ManifestFileConfig? manifest,
        int concurrency, List<string> problems)
    {
        ConfigFields.Forbid("readConnector", Destination, problems, ("streamName", read.StreamName), ("streamArn", read.StreamArn));
        if (manifest is not null)
        {
            problems.Add("manifestFile: not used by a DynamoDB read connector (its tasks are the scan segments, readConnector.totalSegments); remove it");
        }

        var segments = read.TotalSegments ?? Math.Max(1, concurrency);
        if (segments is < 1 or > MaxScanSegments)
        {
            problems.Add($"readConnector.totalSegments: {segments} is out of range 1..{MaxScanSegments}");
        }

        if (!ConfigFields.TableName.IsValid(read.TableName))
        {
            problems.Add($"readConnector.tableName: {ConfigFields.TableName.Problem(read.TableName)}");
            return null;
        }

        return new DynamoDBInput(read.TableName!, segments);
    }

    public Task<ConnectorInputs?> TryOpenAsync(ReadConnectorSettings settings, InputRequest request)
    {
        var input = (DynamoDBInput)settings;
        try
        {
            var source = new DynamoDBTableSource(DynamoDBClients.Create(credentials: request.Credentials), input.TableName, input.TotalSegments, ownsClient: true);
            return Task.FromResult<ConnectorInputs?>(new ConnectorInputs(new RecordSources(DynamoDBTable: source), PartitionTasks.ForDynamoDBTable(source), source));
        }
        catch (AmazonClientException e)
        {
            request.Problems.Add(DynamoDBClients.SetupProblem("readConnector", e));
            return Task.FromResult<ConnectorInputs?>(null);
        }
    }
}
