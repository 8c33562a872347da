using Amazon.Runtime;
using Amazon.S3;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Writing.DynamoDB;
using LetsData.Runtime.Writing.Kinesis;
using LetsData.Runtime.Writing.S3;

namespace LetsData.Runtime.Writing;

/// <summary>
/// The write and error connectors of a dataset: <c>LocalFiles</c> folders, <c>S3</c> prefixes, a <c>Kinesis</c>
/// stream or a <c>DynamoDB</c> table (documents only). Dispose it after the run (AWS connectors own their client).
/// </summary>
public sealed class OutputSinks : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private OutputSinks()
    {
    }

    public IDocumentSinkFactory Documents { get; private set; } = null!;
    public IErrorSinkFactory Errors { get; private set; } = null!;

    /// <summary>
    /// The dataset's sinks, or null with a problem when they cannot be set up (e.g. no AWS region configured).
    /// <paramref name="configureS3"/> may adjust the S3 client configuration (tests).
    /// </summary>
    public static OutputSinks? TryCreate(Dataset dataset, List<string> problems, Action<AmazonS3Config>? configureS3 = null)
    {
        var sinks = new OutputSinks();
        try
        {
            if (dataset.KinesisOutput is { } kinesis)
            {
                var factory = new KinesisDocumentSinkFactory(KinesisClient.Create(), kinesis.StreamName, kinesis.CompressRecords, ownsClient: true);
                sinks._owned.Add(factory);
                sinks.Documents = factory;
            }
            else if (dataset.DynamoDBOutput is { } table)
            {
                var factory = new DynamoDBDocumentSinkFactory(DynamoDBClients.Create(), table.TableName, table.KeyAttributeName, ownsClient: true);
                sinks._owned.Add(factory);
                sinks.Documents = factory;
            }
            else if (dataset.S3Output is { } s3Output)
            {
                var factory = new S3DocumentSinkFactory(S3Clients.Create(s3Output.ForcePathStyle, configureS3), s3Output, ownsClient: true);
                sinks._owned.Add(factory);
                sinks.Documents = factory;
            }
            else
            {
                sinks.Documents = new LocalFilesDocumentSinkFactory(dataset.OutputPath);
            }

            if (dataset.S3ErrorOutput is { } s3Errors)
            {
                var factory = new S3ErrorSinkFactory(S3Clients.Create(s3Errors.ForcePathStyle, configureS3), s3Errors, ownsClient: true);
                sinks._owned.Add(factory);
                sinks.Errors = factory;
            }
            else
            {
                sinks.Errors = new LocalFilesErrorSinkFactory(dataset.ErrorOutputPath);
            }

            return sinks;
        }
        catch (Exception e) when (e is AmazonClientException or InvalidOperationException)
        {
            var field = sinks._owned.Count == 0 && (dataset.S3Output ?? (object?)dataset.KinesisOutput ?? dataset.DynamoDBOutput) is not null
                ? "writeConnector" : "errorConnector";
            sinks.Dispose();
            problems.Add(dataset.KinesisOutput is not null && field == "writeConnector"
                ? $"writeConnector (Kinesis): the Kinesis client could not be set up: {e.Message}"
                : dataset.DynamoDBOutput is not null && field == "writeConnector" && e is AmazonClientException client
                    ? DynamoDBClients.SetupProblem(field, client)
                    : S3Clients.SetupProblem(field, (e as AmazonClientException) ?? new AmazonClientException(e.Message)));
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _owned.Clear();
    }
}
