using Amazon.Runtime;
using LetsData.Runtime.Aws.AwsJson;
using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.Kinesis;

namespace LetsData.Runtime.Connectors.Kinesis;

/// <summary>A Kinesis write connector: one record per document, gzip-compressed when <see cref="CompressRecords"/>.</summary>
public sealed record KinesisOutput(string StreamName, bool CompressRecords) : WriteConnectorSettings
{
    /// <summary><c>kinesisShardCount</c>: the shards of the stream <c>--create-destinations</c> creates.</summary>
    public int ShardCount { get; init; } = 1;

    public override string Location => $"kinesis://{StreamName}";
    internal override IWriteConnector Connector => KinesisWriteConnector.Instance;
}

/// <summary>The <c>Kinesis</c> write connector (documents only): PutRecords batches.</summary>
internal sealed class KinesisWriteConnector : IWriteConnector
{
    public static KinesisWriteConnector Instance { get; } = new();

    public string Destination => "Kinesis";
    public bool WritesErrors => false;

    public WriteConnectorSettings? Validate(string field, WriteConnectorConfig connector, List<string> problems)
    {
        ConfigFields.Forbid(field, Destination, problems, ("outputPath", connector.OutputPath), ("bucketName", connector.BucketName),
            ("prefix", connector.Prefix), ("compress", connector.Compress), ("tableName", connector.TableName),
            ("keyAttributeName", connector.KeyAttributeName));
        ConfigFields.Forbid(field, Destination, problems, ConfigFields.QueueFields(connector));
        if (connector.KinesisShardCount is < 1 or > MaxShardCount)
        {
            problems.Add($"{field}.kinesisShardCount: {connector.KinesisShardCount} is out of range 1..{MaxShardCount}");
        }

        if (!ConfigFields.StreamName.IsValid(connector.StreamName))
        {
            problems.Add($"{field}.streamName: {ConfigFields.StreamName.Problem(connector.StreamName)}");
            return null;
        }

        return new KinesisOutput(connector.StreamName!, connector.CompressRecords ?? false) { ShardCount = connector.KinesisShardCount ?? 1 };
    }

    // Kinesis's default shard quota per account and region (higher ones are asked for).
    private const int MaxShardCount = 500;

    public async Task<string?> CreateDestinationAsync(WriteConnectorSettings settings, SinkSetup setup, CancellationToken cancellationToken)
    {
        var output = (KinesisOutput)settings;
        using var client = KinesisClient.Create(new AwsJsonClientOptions { Credentials = setup.Credentials });
        try
        {
            var existing = await client.DescribeStreamSummaryAsync(output.StreamName, cancellationToken).ConfigureAwait(false);
            if (existing.StreamStatus == "CREATING")
            {
                existing = await client.WaitForActiveAsync(output.StreamName, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
            }

            return $"Kinesis stream {output.StreamName} exists ({existing.OpenShardCount} open shard(s), {existing.StreamStatus}); left as it is";
        }
        catch (KinesisException e) when (e.ErrorCode == "ResourceNotFoundException")
        {
            // Missing: created below.
        }

        try
        {
            await client.CreateStreamAsync(output.StreamName, output.ShardCount, cancellationToken).ConfigureAwait(false);
        }
        catch (KinesisException e) when (e.ErrorCode == "ResourceInUseException")
        {
            // Created meanwhile by another worker of the dataset (--shard-index): wait for it like for our own.
            await client.WaitForActiveAsync(output.StreamName, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
            return $"Kinesis stream {output.StreamName} was created meanwhile by another worker; left as it is";
        }

        return $"created Kinesis stream {output.StreamName} with {output.ShardCount} shard(s)";
    }

    public IDocumentSinkFactory CreateDocumentSinks(WriteConnectorSettings settings, SinkSetup setup)
    {
        var output = (KinesisOutput)settings;
        return new KinesisDocumentSinkFactory(KinesisClient.Create(new AwsJsonClientOptions { Credentials = setup.Credentials }),
            output.StreamName, output.CompressRecords, ownsClient: true);
    }

    public IErrorSinkFactory CreateErrorSinks(WriteConnectorSettings settings, SinkSetup setup) =>
        throw new NotSupportedException("a Kinesis connector takes documents only");

    // KinesisClient.Create throws InvalidOperationException for no region or an endpoint variable that is not a URL.
    public string? SetupProblem(string field, Exception e) =>
        e is AmazonClientException or InvalidOperationException ? KinesisClient.SetupProblem(field, e) : null;
}
