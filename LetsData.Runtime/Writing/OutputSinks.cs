using Amazon.Runtime;
using Amazon.S3;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.Credentials;
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
    /// <paramref name="configureS3"/> may adjust the S3 client configuration (tests). The clients sign with
    /// <paramref name="credentials"/>' credentials for the dataset (null: <see cref="RuntimeCredentials.Current"/>).
    /// </summary>
    internal static OutputSinks? TryCreate(Dataset dataset, List<string> problems, Action<AmazonS3Config>? configureS3 = null,
        RuntimeCredentials? credentials = null)
    {
        var sinks = new OutputSinks();
        var signing = (credentials ?? RuntimeCredentials.Current).For(dataset);
        var documents = sinks.TryOwn("writeConnector", DestinationOf(dataset), problems, () => dataset switch
        {
            { KinesisOutput: { } kinesis } =>
                new KinesisDocumentSinkFactory(KinesisClient.Create(new KinesisClientOptions { Credentials = signing }), kinesis.StreamName, kinesis.CompressRecords, ownsClient: true),
            { DynamoDBOutput: { } table } =>
                new DynamoDBDocumentSinkFactory(DynamoDBClients.Create(credentials: signing), table.TableName, table.KeyAttributeName, ownsClient: true),
            { S3Output: { } s3 } => new S3DocumentSinkFactory(S3Clients.Create(s3.ForcePathStyle, configureS3, signing), s3, ownsClient: true),
            _ => (IDocumentSinkFactory)new LocalFilesDocumentSinkFactory(dataset.OutputPath),
        });
        var errors = documents is null ? null : sinks.TryOwn("errorConnector", dataset.S3ErrorOutput is null ? "LocalFiles" : "S3", problems,
            () => dataset.S3ErrorOutput is { } s3
                ? new S3ErrorSinkFactory(S3Clients.Create(s3.ForcePathStyle, configureS3, signing), s3, ownsClient: true)
                : (IErrorSinkFactory)new LocalFilesErrorSinkFactory(dataset.ErrorOutputPath));
        if (documents is null || errors is null)
        {
            sinks.Dispose();
            return null;
        }

        (sinks.Documents, sinks.Errors) = (documents, errors);
        return sinks;
    }

    private static string DestinationOf(Dataset dataset) =>
        dataset.KinesisOutput is not null ? "Kinesis" : dataset.DynamoDBOutput is not null ? "DynamoDB" : dataset.S3Output is not null ? "S3" : "LocalFiles";

    /// <summary>Creates a connector, keeping it for disposal; null with a problem naming the field when its client cannot be made.</summary>
    private T? TryOwn<T>(string field, string destination, List<string> problems, Func<T> create)
        where T : class
    {
        try
        {
            var created = create();
            if (created is IDisposable disposable)
            {
                _owned.Add(disposable);
            }

            return created;
        }
        catch (AmazonClientException e)
        {
            problems.Add(destination == "DynamoDB" ? DynamoDBClients.SetupProblem(field, e)
                : destination == "Kinesis" ? KinesisClient.SetupProblem(field, e)
                : S3Clients.SetupProblem(field, e));
            return null;
        }
        catch (InvalidOperationException e) when (destination == "Kinesis")
        {
            // KinesisClient.Create: no region configured, or an endpoint variable that is not a URL.
            problems.Add(KinesisClient.SetupProblem(field, e));
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
