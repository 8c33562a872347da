using Amazon.Runtime;
using Amazon.S3;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Writing.S3;

namespace LetsData.Runtime.Writing;

/// <summary>
/// The write and error connectors of a dataset: <c>LocalFiles</c> folders or <c>S3</c> prefixes. Dispose it after the
/// run (S3 connectors own their client).
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
            if (dataset.S3Output is { } s3Output)
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
        catch (AmazonClientException e)
        {
            var field = sinks._owned.Count == 0 && dataset.S3Output is not null ? "writeConnector" : "errorConnector";
            sinks.Dispose();
            problems.Add(S3Clients.SetupProblem(field, e));
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
