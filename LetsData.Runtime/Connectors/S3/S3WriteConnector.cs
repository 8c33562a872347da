using Amazon.Runtime;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.S3;

namespace LetsData.Runtime.Connectors.S3;

/// <summary>The <c>S3</c> write or error connector's settings: where its objects go.</summary>
public sealed record S3Output(S3OutputLocation Where) : WriteConnectorSettings
{
    public override string Location => Where.ToString();
    internal override IWriteConnector Connector => S3WriteConnector.Instance;

    public override string? CollisionWith(WriteConnectorSettings errors) =>
        errors is S3Output other && Where.BucketName == other.Where.BucketName && Where.Prefix == other.Where.Prefix
            ? "errorConnector.prefix: must differ from writeConnector.prefix in the same bucket (both write one .jsonl object per task, named alike)"
            : null;
}

/// <summary>The <c>S3</c> write and error connector: one JSON Lines object per task, multipart upload.</summary>
internal sealed class S3WriteConnector : IWriteConnector
{
    public static S3WriteConnector Instance { get; } = new();

    public string Destination => "S3";
    public bool WritesErrors => true;

    public WriteConnectorSettings? Validate(string field, WriteConnectorConfig connector, List<string> problems)
    {
        // Named as the dataset spells it, as before connectors were units.
        var destination = connector.ConnectorDestination ?? Destination;
        ConfigFields.Forbid(field, destination, problems, ("streamName", connector.StreamName), ("compressRecords", connector.CompressRecords),
            ("tableName", connector.TableName), ("keyAttributeName", connector.KeyAttributeName));
        ConfigFields.Forbid(field, destination, problems, ConfigFields.QueueFields(connector));
        if (!string.IsNullOrWhiteSpace(connector.OutputPath))
        {
            problems.Add($"{field}.outputPath: only for LocalFiles; an S3 connector names \"bucketName\" (and optionally \"prefix\")");
        }

        var gzip = false;
        if (connector.Compress is { } compress)
        {
            if (compress.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                gzip = true;
            }
            else
            {
                problems.Add($"{field}.compress: '{compress}' is not supported; use \"gzip\" or leave it out");
            }
        }

        var prefix = connector.Prefix ?? "";
        if (prefix.StartsWith('/'))
        {
            problems.Add($"{field}.prefix: '{prefix}' must not start with '/' (it is the start of an object key)");
        }

        var bucket = connector.BucketName;
        if (string.IsNullOrWhiteSpace(bucket))
        {
            problems.Add($"{field}.bucketName: required for S3 (the bucket of the output objects)");
            return null;
        }

        if (!ConfigFields.IsValidBucketName(bucket))
        {
            problems.Add($"{field}.bucketName: {ConfigFields.BucketNameProblem(bucket)}");
            return null;
        }

        return new S3Output(new S3OutputLocation(bucket, prefix, gzip, connector.ForcePathStyle));
    }

    public IDocumentSinkFactory CreateDocumentSinks(WriteConnectorSettings settings, SinkSetup setup)
    {
        var where = ((S3Output)settings).Where;
        return new S3DocumentSinkFactory(S3Clients.Create(where.ForcePathStyle, setup.ConfigureS3, setup.Credentials), where, ownsClient: true);
    }

    public IErrorSinkFactory CreateErrorSinks(WriteConnectorSettings settings, SinkSetup setup)
    {
        var where = ((S3Output)settings).Where;
        return new S3ErrorSinkFactory(S3Clients.Create(where.ForcePathStyle, setup.ConfigureS3, setup.Credentials), where, ownsClient: true);
    }

    public string? SetupProblem(string field, Exception e) => e is AmazonClientException client ? S3Clients.SetupProblem(field, client) : null;
}
