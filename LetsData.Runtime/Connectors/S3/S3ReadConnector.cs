using Amazon.Runtime;
using Amazon.S3;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.S3;

namespace LetsData.Runtime.Connectors.S3;

/// <summary>The <c>S3</c> read connector's objects: key = <see cref="Prefix"/> + manifest file name.</summary>
public sealed record S3InputLocation(string BucketName, string Prefix, bool? ForcePathStyle) : ReadConnectorSettings
{
    internal override IReadConnector Connector => S3ReadConnector.Instance;
}

/// <summary>The <c>S3</c> read connector: the manifest's files as objects of one bucket, streamed with ranged GETs.</summary>
internal sealed class S3ReadConnector : IFileReadConnector
{
    public static S3ReadConnector Instance { get; } = new();

    public string Destination => "S3";
    public string ReadsWhat => "objects of a bucket";
    public bool ReadsFiles => true;
    public ReaderType? RequiredReaderType => null;

    public ReadConnectorSettings? ValidateSection(ReadConnectorConfig read, List<string> problems)
    {
        ConfigFields.Forbid("readConnector", Destination, problems,
            ("streamName", read.StreamName), ("tableName", read.TableName), ("totalSegments", read.TotalSegments));
        ConfigFields.Forbid("readConnector", Destination, problems, ConfigFields.QueueFields(read));
        if (!string.IsNullOrWhiteSpace(read.RootPath))
        {
            problems.Add("readConnector.rootPath: only for LocalFiles; an S3 read connector names \"bucketName\" (and optionally \"prefix\")");
        }

        var bucket = read.BucketName;
        if (string.IsNullOrWhiteSpace(bucket))
        {
            problems.Add("readConnector.bucketName: required for S3 (the bucket of the input objects)");
            return null;
        }

        if (!ConfigFields.IsValidBucketName(bucket))
        {
            problems.Add($"readConnector.bucketName: {ConfigFields.BucketNameProblem(bucket)}");
            return null;
        }

        return new S3InputLocation(bucket, read.Prefix ?? "", read.ForcePathStyle);
    }

    public ReadConnectorSettings? ValidateTasks(ReadConnectorSettings? section, ReadConnectorConfig read, ManifestFileConfig? manifest,
        int concurrency, List<string> problems) => section;

    public IFileSource? TryCreateFiles(ReadConnectorSettings settings, List<string> problems, Action<AmazonS3Config>? configureS3,
        AWSCredentials? credentials)
    {
        var s3 = (S3InputLocation)settings;
        try
        {
            return S3FileSource.Create(s3.BucketName, s3.Prefix, s3.ForcePathStyle, configure: configureS3, credentials: credentials);
        }
        catch (AmazonClientException e)
        {
            problems.Add(S3Clients.SetupProblem("readConnector", e));
            return null;
        }
    }

    public Task<ConnectorInputs?> TryOpenAsync(ReadConnectorSettings settings, InputRequest request)
    {
        var files = TryCreateFiles(settings, request.Problems, null, request.Credentials);
        return Task.FromResult(files is null ? null : new ConnectorInputs(new RecordSources(files), request.ManifestTasks, files as IDisposable));
    }
}
